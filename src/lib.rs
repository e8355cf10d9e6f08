//! pingjia (评价): the quarterly government-service assessment engine.
//!
//! Data flows one way (docs/SPEC.md §1):
//!
//! ```text
//! inputs (CSV UTF-8/GBK, XLSX, Parquet, NDJSON; Chinese or English headers)
//!   → ingest    header aliases → canonical columns, types, validation   [ingest]
//!                 → valid rows → quarantine (every rejected row + reason)
//!   → enrich    quarter, working days (calendar), on-time, online …    [calendar]
//!   → indicators, compare, outputs                                      [output]
//! ```
//!
//! `schema` is the data contract; `settings` is what the user configured; `commands`
//! runs one CLI command over the stages.

pub mod audit;
pub mod calendar;
pub mod charts;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod enrich;
pub mod error;
pub mod format;
pub mod indicators;
pub mod ingest;
pub mod output;
pub mod regions;
pub mod report;
pub mod sample;
pub mod schema;
pub mod settings;
pub mod stream;
pub mod time;
pub mod views;
pub mod watch;

pub use error::{Error, Result};
