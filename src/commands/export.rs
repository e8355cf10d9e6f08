//! `pingjia export-canonical DATA --out DIR`: the validated canonical tables as typed
//! Parquet (docs/SPEC.md §2 names and types), for engines that do not read the raw exports.

use crate::cli::ExportCanonicalArgs;
use crate::error::Result;
use crate::schema::Table;

pub fn run(args: &ExportCanonicalArgs) -> Result<()> {
    if args.input.data.is_empty() {
        return Err(crate::Error::Usage(
            "no input given\nhint: pingjia export-canonical DATA --out DIR".into(),
        ));
    }
    let timer = super::Timer::start();
    let settings = super::RunPlan::reading(&args.input.read)?.settings;
    let ingested = crate::ingest::load(&args.input.data, &settings)?;
    let summary = crate::output::run::RunSummary::new(&ingested, &settings.regions)?;
    crate::output::run::write(&args.out, &ingested, &summary)?;
    ingested.check_not_empty()?;
    timer.lap("ingest");
    for t in Table::ALL {
        let mut df = ingested.table(t).clone();
        df.rechunk_mut();
        let path = args.out.join(format!("{}.parquet", t.name()));
        crate::output::write_parquet(&path, &mut df)?;
        let c = &summary.tables[t.name()];
        eprintln!(
            "{} {}: {} rows ({} quarantined) → {}",
            t.name(),
            t.chinese(),
            df.height(),
            c.quarantined,
            path.display()
        );
    }
    timer.lap("write");
    Ok(())
}
