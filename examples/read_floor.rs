//! The read floor of `bench/scale.sh` (issue 21): the time to read the Parquet files of a
//! data folder with the reader pingjia streams with (Polars' `ParquetReader`), doing
//! nothing else — once whole (one pass, both cores decoding) and once in the slices
//! `pingjia indicators` reads (`--chunk-rows`, default 262,144).
//!
//! ```sh
//! cargo run --release --example read_floor -- target/bench/cases-10000000
//! ```

use std::time::Instant;

use polars::prelude::*;

/// The allocator pingjia runs with (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> PolarsResult<()> {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: read_floor DATA_DIR [CHUNK_ROWS]");
    let chunk: usize = std::env::args()
        .nth(2)
        .map(|c| c.parse().expect("CHUNK_ROWS is a number"))
        .unwrap_or(pingjia::stream::DEFAULT_CHUNK_ROWS);
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "parquet"));
    files.sort();
    let (mut whole, mut sliced, mut rows) = (0.0, 0.0, 0);
    for path in &files {
        let started = Instant::now();
        let df = ParquetReader::new(std::fs::File::open(path)?).finish()?;
        whole += started.elapsed().as_secs_f64();
        rows += df.height();
        drop(df);
        let started = Instant::now();
        let mut reader = ParquetReader::new(std::fs::File::open(path)?);
        let (n, metadata) = (reader.num_rows()?, reader.get_metadata()?.clone());
        let mut offset = 0;
        while offset < n {
            let len = chunk.min(n - offset);
            let mut reader =
                ParquetReader::new(std::fs::File::open(path)?).with_slice(Some((offset, len)));
            reader.set_metadata(metadata.clone());
            let _ = reader.finish()?;
            offset += len;
        }
        sliced += started.elapsed().as_secs_f64();
    }
    println!(
        "{} files, {rows} rows: whole {whole:.3} s, in slices of {chunk} {sliced:.3} s",
        files.len()
    );
    Ok(())
}
