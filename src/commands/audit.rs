//! `pingjia audit DATA --out DIR`: data-quality findings and the two working lists.

use crate::audit::{self, AuditRules};
use crate::cli::AuditArgs;
use crate::error::Result;
use crate::output;
use crate::output::people::for_people;
use crate::schema::Table;

pub fn run(args: &AuditArgs) -> Result<()> {
    let plan = super::RunPlan::reading(&args.input.read)?;
    let p = super::prepare(&args.input.data, &plan, Some(&args.out))?;
    let findings = audit::run(&p.ingested, &p.enriched, &AuditRules::default())?;
    let mut written = Vec::new();
    println!("{:<28} {:>7}  名称", "audit", "count");
    for f in &findings {
        let mut rows = f.rows.clone();
        let path = args.out.join("audits").join(format!("{}.csv", f.id));
        output::write_csv(&path, &mut rows)?;
        written.push(path);
        println!("{:<28} {:>7}  {}", f.id, f.rows.height(), f.name);
    }
    let mut summary = audit::summary(&findings, &p.ingested)?;
    written.extend(crate::output::write_table(
        &args.out,
        "audit_summary",
        &mut summary,
    )?);
    let quarantined: usize = p.ingested.quarantine.values().map(Vec::len).sum();
    println!(
        "{:<28} {:>7}  无法读取而隔离的行 (see quarantine/)",
        "quarantined", quarantined
    );
    let overdue = audit::overdue_cases(&p.enriched)?;
    let ledger = audit::bad_rating_ledger(&p.enriched, &p.rules)?;
    for (stem, df, table) in [
        ("overdue_cases", &overdue, Table::Cases),
        ("bad_ratings", &ledger, Table::Ratings),
    ] {
        let mut shown = for_people(df, table, &plan.settings.regions)?;
        written.extend(crate::output::write_table(&args.out, stem, &mut shown)?);
    }
    println!(
        "超期办件清单 overdue cases: {} · 差评台账 bad ratings: {}",
        overdue.height(),
        ledger.height()
    );
    for w in written {
        eprintln!("wrote {}", w.display());
    }
    Ok(())
}
