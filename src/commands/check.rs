//! `pingjia check DATA`: ingest only, and say what was found — and, for what the run did
//! not recognise, what to do (`--suggest-mapping FILE` writes a mapping to fill in).

use std::fmt::Write as _;

use crate::cli::CheckArgs;
use crate::error::Result;
use crate::ingest::{self, vocabulary::Words};
use crate::output::run::{self, RunSummary};
use crate::schema::Table;

/// Broken rows listed on screen per table before pointing at the quarantine file.
const LISTED_ROWS: usize = 50;
/// Unrecognised values listed per column.
const LISTED_VALUES: usize = 20;

pub fn run(args: &CheckArgs) -> Result<()> {
    let settings = super::RunPlan::reading(&args.input.read)?.settings;
    let ingested = ingest::load(&args.input.data, &settings)?;
    let summary = RunSummary::new(&ingested, &settings.regions)?;
    let mut written = run::write(&args.out, &ingested, &summary)?;
    if let Some(path) = &args.suggest_mapping {
        crate::output::write_atomic(path, |f| {
            std::io::Write::write_all(f, suggested_mapping(&summary).as_bytes())
        })?;
        written.push(path.clone());
    }
    print!("{}", render(&summary, &ingested));
    for w in &written {
        eprintln!("wrote {}", w.display());
    }
    ingested.check_not_empty()
}

fn render(summary: &RunSummary, ingested: &ingest::Ingested) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<17} {:>6} {:>10} {:>10} {:>12} {:>10}",
        "table 表", "files", "read", "valid", "quarantined", "unknown"
    );
    for t in Table::ALL {
        let c = &summary.tables[t.name()];
        // Chinese characters take two columns in a terminal.
        let label = format!("{} {}", t.name(), t.chinese());
        let width = 18 - t.chinese().chars().count();
        let _ = writeln!(
            s,
            "{label:<width$} {:>6} {:>10} {:>10} {:>12} {:>10}",
            c.files, c.rows_read, c.valid, c.quarantined, c.unknown_cells
        );
    }
    for f in &summary.files {
        let _ = writeln!(
            s,
            "  {} → {}: {} read = {} valid + {} quarantined{} ({}{}, {})",
            f.path,
            f.table.name(),
            f.rows_read,
            f.valid,
            f.quarantined,
            if f.total_rows.is_empty() {
                String::new()
            } else {
                format!(" + {} summary rows 合计行", f.total_rows.len())
            },
            serde_json::to_value(f.format)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            f.sheet
                .as_ref()
                .map(|s| format!(" sheet '{s}'"))
                .unwrap_or_default(),
            serde_json::to_value(f.encoding)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        );
        if !f.total_rows.is_empty() {
            let rows: Vec<String> = f.total_rows.iter().map(usize::to_string).collect();
            let _ = writeln!(
                s,
                "    summary rows skipped 已跳过合计行: row {}",
                rows.join(", ")
            );
        }
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
    for r in &summary.restored_matter_codes {
        let _ = writeln!(
            s,
            "  {} {}: 事项编码 '{}' lost its leading zeros; matched to the catalogue's '{}' ({} rows)",
            r.table, r.region_code, r.written, r.catalogue, r.rows
        );
    }
    for (f, why) in &summary.ignored_files {
        let _ = writeln!(s, "  {f}: left out ({why})");
    }
    for f in &summary.folders_not_read {
        let _ = writeln!(s, "  {f}: a folder — not read (give it as DATA to read it)");
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

    for (table, columns) in &summary.unknown_cells {
        let Some(t) = Table::ALL.into_iter().find(|t| t.name() == *table) else {
            continue;
        };
        let _ = writeln!(
            s,
            "\nunknown values 无法识别的值 — {table} (rows kept; each cell counts as unknown):"
        );
        for (column, u) in columns {
            let spec = t.column(column);
            let _ = writeln!(
                s,
                "  {} ({column}): {} cells{}",
                spec.map_or("", |c| c.chinese),
                u.cells,
                spec.map(|c| format!(", counted {}", c.unknown))
                    .unwrap_or_default()
            );
            let mut values: Vec<(&String, &usize)> = u.values.iter().collect();
            values.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            for (v, n) in values.iter().take(LISTED_VALUES) {
                let _ = writeln!(s, "    {n:>6} × '{v}'");
            }
            if values.len() > LISTED_VALUES {
                let _ = writeln!(s, "    … {} more values", values.len() - LISTED_VALUES);
            }
        }
    }
    if !summary.unknown_cells.is_empty() {
        let _ = writeln!(
            s,
            "  every cell is in quarantine/cells.csv; run `pingjia check DATA --suggest-mapping mapping.toml`, fill it in and pass --mapping mapping.toml"
        );
    }

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
            let _ = writeln!(
                s,
                "  {} row {}: {} — {}",
                r.file,
                r.row,
                r.columns(),
                r.reasons()
            );
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

/// A mapping file with every unrecognised value of a column that has a vocabulary,
/// ready to fill in (an empty value is skipped until it is filled).
pub fn suggested_mapping(summary: &RunSummary) -> String {
    let mut s = String::from(
        "# pingjia mapping — the values this export spells its own way.\n\
         # Fill in each \"\" with what the value means (one of the values listed above its\n\
         # section, or any spelling pingjia knows, e.g. 网上办理), then run again with\n\
         # --mapping this-file. Values left \"\" stay unknown. Header aliases go in\n\
         # [cases] / [matters] / [ratings] sections: case_id = [\"业务流水号\"].\n",
    );
    for (t, spec, u) in summary.unknown_columns() {
        let Some(words) = Words::of(spec.kind) else {
            continue;
        };
        let _ = writeln!(
            s,
            "\n# {} ({}): one of {}\n[values.{}.{}]",
            spec.chinese,
            spec.name,
            words.values().join(", "),
            t.name(),
            spec.name
        );
        let mut values: Vec<(&String, &usize)> = u.values.iter().collect();
        values.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        for (v, n) in values {
            let key = toml::Value::String(v.clone()).to_string();
            let _ = writeln!(s, "{key} = \"\"   # {n} cells");
        }
    }
    s
}
