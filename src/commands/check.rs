//! `pingjia check DATA`: ingest only, and say what was found.

use std::fmt::Write as _;

use crate::cli::CheckArgs;
use crate::error::Result;
use crate::ingest;
use crate::output::run::{self, RunSummary};
use crate::schema::Table;
use crate::settings::Settings;

/// Broken rows listed on screen per table before pointing at the quarantine file.
const LISTED_ROWS: usize = 50;

pub fn run(args: &CheckArgs) -> Result<()> {
    let settings = Settings::load(&args.input.read.options())?;
    let ingested = ingest::load(&args.input.data, &settings)?;
    let summary = RunSummary::new(&ingested, &settings.regions)?;
    let written = run::write(&args.out, &ingested, &summary)?;
    print!("{}", render(&summary, &ingested));
    for w in &written {
        eprintln!("wrote {}", w.display());
    }
    Ok(())
}

fn render(summary: &RunSummary, ingested: &ingest::Ingested) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<17} {:>6} {:>10} {:>10} {:>12}",
        "table 表", "files", "read", "valid", "quarantined"
    );
    for t in Table::ALL {
        let c = &summary.tables[t.name()];
        // Chinese characters take two columns in a terminal.
        let label = format!("{} {}", t.name(), t.chinese());
        let width = 18 - t.chinese().chars().count();
        let _ = writeln!(
            s,
            "{label:<width$} {:>6} {:>10} {:>10} {:>12}",
            c.files, c.rows_read, c.valid, c.quarantined
        );
    }
    for f in &summary.files {
        let _ = writeln!(
            s,
            "  {} → {}: {} read = {} valid + {} quarantined ({:?})",
            f.path,
            f.table.name(),
            f.rows_read,
            f.valid,
            f.quarantined,
            f.encoding
        );
        if !f.personal_columns_dropped.is_empty() {
            let _ = writeln!(
                s,
                "    personal data dropped 已删除个人信息列: {}",
                f.personal_columns_dropped.join(", ")
            );
        }
        if !f.unknown_columns.is_empty() {
            let _ = writeln!(
                s,
                "    columns not used 未使用的列: {}",
                f.unknown_columns.join(", ")
            );
        }
        for w in &f.warnings {
            let _ = writeln!(s, "    warning: {w}");
        }
    }
    for f in &summary.skipped_files {
        let _ = writeln!(
            s,
            "  {f}: not recognised as matters, cases or ratings — skipped"
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "quarters 季度: {}",
        if summary.quarters.is_empty() {
            "none".into()
        } else {
            summary.quarters.join(" ")
        }
    );
    let regions: Vec<String> = summary
        .regions
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect();
    let _ = writeln!(
        s,
        "regions 区县 ({}): {}",
        regions.len(),
        regions.join(", ")
    );

    for (table, reasons) in &summary.quarantine_reasons {
        if reasons.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\nquarantine reasons 隔离原因 — {table}:");
        for (reason, n) in reasons {
            let _ = writeln!(s, "  {n:>6} × {reason}");
        }
    }
    for (t, rows) in &ingested.quarantine {
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\nquarantined rows — {}:", t.name());
        for r in rows.iter().take(LISTED_ROWS) {
            let _ = writeln!(s, "  {} row {}: {} — {}", r.file, r.row, r.column, r.reason);
        }
        if rows.len() > LISTED_ROWS {
            let _ = writeln!(
                s,
                "  … {} more in quarantine/{}.csv",
                rows.len() - LISTED_ROWS,
                t.name()
            );
        }
    }
    s
}
