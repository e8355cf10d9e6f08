//! `pingjia query DATA --sql "…"`: ad-hoc SQL over the enriched views, for analysts.

use crate::cli::QueryArgs;
use crate::error::{Error, Result};

pub fn run(args: &QueryArgs) -> Result<()> {
    let plan = super::RunPlan::reading(&args.read)?;
    let enriched = super::prepare(std::slice::from_ref(&args.data), &plan, None)?.enriched;
    let mut ctx = enriched.sql_context();
    let names: Vec<&str> = enriched.views.iter().map(|(n, _)| *n).collect();
    let mut df = ctx
        .execute(&args.sql)
        .and_then(|lf| lf.collect())
        .map_err(|e| {
            Error::Usage(format!(
                "the query failed: {e}\nhint: the tables are {}",
                names.join(", ")
            ))
        })?;
    // Show every row and column; analysts pipe this into a file or a pager.
    // (Single-threaded here: set before Polars formats anything.)
    std::env::set_var("POLARS_FMT_MAX_ROWS", "-1");
    std::env::set_var("POLARS_FMT_MAX_COLS", "-1");
    std::env::set_var("POLARS_FMT_STR_LEN", "60");
    println!("{df}");
    if let Some(path) = &args.csv {
        crate::output::write_csv(path, &mut df)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
