//! What users read, as reviewed snapshots (`insta`): the help of every command and the
//! report on the sample data. A change to either shows as a diff to read and accept
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test --release` and read
//! `git diff tests/it/snapshots/`); under CI a difference fails the test.

use super::*;

const COMMANDS: [&str; 11] = [
    "check",
    "sample",
    "indicators",
    "query",
    "audit",
    "compare",
    "dashboard",
    "charts",
    "report",
    "export-canonical",
    "spark-job",
];

#[test]
fn help_of_every_command() {
    let top = pingjia(&["--help"]);
    assert!(top.status.success());
    insta::assert_snapshot!("help", text(&top.stdout));
    for command in COMMANDS {
        let o = pingjia(&[command, "--help"]);
        assert!(o.status.success(), "{command} --help");
        insta::assert_snapshot!(format!("help_{command}"), text(&o.stdout));
    }
}

#[test]
fn report_md_on_sample_data() {
    let (city, _) = run_in_temp(&["report", "sample-data", "--format", "md"]);
    let md = std::fs::read_to_string(city.path().join("report.md")).unwrap();
    insta::assert_snapshot!("report_city", md);
    let (district, _) = run_in_temp(&[
        "report",
        "sample-data",
        "--region",
        "370303",
        "--format",
        "md",
    ]);
    let md = std::fs::read_to_string(district.path().join("report.md")).unwrap();
    insta::assert_snapshot!("report_370303", md);
}
