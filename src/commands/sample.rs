//! `pingjia sample --out DIR`: the deterministic sample data set.

use crate::calendar::Calendar;
use crate::cli::{SampleArgs, SampleFormat};
use crate::error::Result;
use crate::sample::{self, SampleOptions};

pub fn run(args: &SampleArgs) -> Result<()> {
    let calendar = Calendar::load(None, false)?;
    let cases = args.scale.unwrap_or(sample::DEFAULT_CASES);
    let bar = crate::output::progress::bar(cases, "generating cases 生成办件");
    let opts = SampleOptions {
        out: args.out.clone(),
        seed: args.seed,
        cases,
        parquet: args.format == SampleFormat::Parquet,
        dirty: !args.no_dirty,
        cities: args.cities,
    };
    let started = std::time::Instant::now();
    let counts = sample::generate(&opts, &calendar, &|n| {
        if n % 4096 == 0 {
            bar.set_position(n)
        }
    })?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "wrote {} matters, {} cases, {} ratings to {} in {:.1} s ({:.0} cases/s)",
        counts.matters,
        counts.cases,
        counts.ratings,
        args.out.display(),
        secs,
        counts.cases as f64 / secs.max(1e-9)
    );
    Ok(())
}
