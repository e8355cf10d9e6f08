//! `pingjia spark-job --out DIR`: a self-contained PySpark job computing the same
//! indicators from the canonical Parquet tables. The indicator SQL is the text the
//! engine itself runs (one aggregation per view and filter, see
//! [`crate::indicators::aggregations`]); the enriched views are `spark/enrich.sql`, the
//! Spark SQL twin of `src/enrich.rs`, held equal by tests/it/spark.rs.

use std::io::Write as _;

use crate::cli::SparkJobArgs;
use crate::error::Result;
use crate::output::write_atomic;
use crate::time::{civil_from_days, days_from_civil};

const JOB: &str = include_str!("../../spark/pingjia_job.py");
const ENRICH: &str = include_str!("../../spark/enrich.sql");

#[derive(serde::Serialize)]
struct Plan<'a> {
    pingjia: &'static str,
    rectification_days: i32,
    /// Whether 默认评价 count in satisfaction (--count-default-ratings).
    count_default_ratings: bool,
    /// 统计截止时间 given with --as-of (`2026-01-05 17:00:00.000`), else none: the job
    /// takes the data's latest timestamp.
    as_of: Option<String>,
    levels: Vec<&'static str>,
    shuffle_partitions: u32,
    indicators: Vec<IndicatorEntry<'a>>,
    aggregations: Vec<crate::indicators::Aggregation>,
}

#[derive(serde::Serialize)]
struct IndicatorEntry<'a> {
    id: &'a str,
    name: &'a str,
    unit: &'a str,
    file: String,
}

pub fn run(args: &SparkJobArgs) -> Result<()> {
    let super::RunPlan {
        settings,
        rules,
        indicators,
    } = super::RunPlan::new(&args.read, args.queries.as_deref())?;
    let out = &args.out;
    let text =
        |name: &str, body: &str| write_atomic(&out.join(name), |f| f.write_all(body.as_bytes()));
    text("pingjia_job.py", JOB)?;
    text("enrich.sql", ENRICH)?;
    for ind in &indicators {
        text(&format!("queries/{}.sql", ind.id), &ind.text)?;
    }
    let plan = Plan {
        pingjia: env!("CARGO_PKG_VERSION"),
        rectification_days: rules.rectification_days,
        count_default_ratings: rules.count_default_ratings,
        as_of: rules.as_of.map(|ms| {
            let day = civil_from_days(ms.div_euclid(86_400_000) as i32);
            let t = ms.rem_euclid(86_400_000);
            format!(
                "{day} {:02}:{:02}:{:02}.{:03}",
                t / 3_600_000,
                t / 60_000 % 60,
                t / 1000 % 60,
                t % 1000
            )
        }),
        levels: args.level.iter().map(|l| l.name()).collect(),
        shuffle_partitions: 8,
        indicators: indicators
            .iter()
            .map(|i| IndicatorEntry {
                id: &i.id,
                name: &i.name,
                unit: &i.unit,
                file: format!("queries/{}.sql", i.id),
            })
            .collect(),
        aggregations: crate::indicators::aggregations(&indicators),
    };
    crate::output::write_json(&out.join("plan.json"), &plan)?;

    // W(d) for every day the calendar can count (the known years, or the whole index
    // with --weekday-only-outside-calendar).
    let mut calendar = String::from("day,w\n");
    let (first, last) = (
        days_from_civil(1990, 1, 1).expect("valid"),
        days_from_civil(2100, 12, 31).expect("valid"),
    );
    for d in first..=last {
        if let Ok(w) = settings.calendar.w(d) {
            calendar += &format!("{},{w}\n", civil_from_days(d));
        }
    }
    text("calendar.csv", &calendar)?;
    let mut regions = String::from("code,name\n");
    for (code, name) in settings.regions.sorted() {
        regions += &format!("{code},{name}\n");
    }
    text("regions.csv", &regions)?;
    text("README.md", &readme(&plan))?;
    eprintln!(
        "wrote {}: pingjia_job.py, enrich.sql, plan.json ({} indicators in {} aggregations, levels {}), queries/, calendar.csv, regions.csv",
        out.display(),
        plan.indicators.len(),
        plan.aggregations.len(),
        plan.levels.join(",")
    );
    eprintln!(
        "run: pingjia export-canonical DATA --out canonical && spark-submit {}/pingjia_job.py canonical indicators.parquet",
        out.display()
    );
    Ok(())
}

fn readme(plan: &Plan) -> String {
    format!(
        "# pingjia Spark job\n\n\
         Emitted by pingjia {} (`pingjia spark-job`). Computes {} indicators at the levels \
         {} with a 差评整改 limit of {} working days.\n\n\
         ```sh\n\
         pingjia export-canonical DATA --out canonical        # validated typed Parquet\n\
         spark-submit pingjia_job.py canonical indicators.parquet            # cluster\n\
         spark-submit pingjia_job.py canonical indicators.parquet --master 'local[2]'\n\
         pingjia report --indicators indicators.parquet --out report       # charts and report\n\
         ```\n\n\
         Files: `enrich.sql` (the enriched views), `plan.json` (the indicator SQL and how \
         levels are summed), `queries/` (the indicator definitions), `calendar.csv` (W(d), \
         working days up to each day), `regions.csv` (GB/T 2260 names).\n",
        plan.pingjia,
        plan.indicators.len(),
        plan.levels.join(", "),
        plan.rectification_days
    )
}
