//! Settings: what the stages need to know, built once from the command line and the
//! user's files (alias mapping, region table, calendar). No stage sees clap types.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::ingest::values::ScoreScale;
use crate::regions::Regions;
use crate::schema::{normalise_header, Table};

/// Options that shape how input is read.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// TOML file of extra header aliases, e.g. `[cases]\ncase_id = ["业务流水号"]`.
    pub mapping: Option<PathBuf>,
    /// `region_code,region_name` file overriding or extending GB/T 2260 names.
    pub regions: Option<PathBuf>,
    /// Holiday schedule file overriding or extending the bundled one.
    pub calendar: Option<PathBuf>,
    /// Count dates outside the known holiday years with the weekday rule.
    pub weekday_only_outside_calendar: bool,
    pub score_scale: ScoreScale,
    /// XLSX sheet to read (default: the first).
    pub sheet: Option<String>,
}

/// Everything ingest and the later stages need, loaded and checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub aliases: UserAliases,
    pub regions: Regions,
    pub calendar: Calendar,
    pub score_scale: ScoreScale,
    pub sheet: Option<String>,
}

impl Settings {
    pub fn load(options: &InputOptions) -> Result<Self> {
        Ok(Settings {
            aliases: match &options.mapping {
                Some(p) => UserAliases::load(p)?,
                None => UserAliases::default(),
            },
            regions: Regions::load(options.regions.as_deref())?,
            calendar: Calendar::load(
                options.calendar.as_deref(),
                options.weekday_only_outside_calendar,
            )?,
            score_scale: options.score_scale,
            sheet: options.sheet.clone(),
        })
    }
}

/// User-supplied header aliases: table → normalised alias → canonical column.
#[derive(Debug, Clone, Default)]
pub struct UserAliases(HashMap<Table, HashMap<String, &'static str>>);

impl UserAliases {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let raw: HashMap<String, HashMap<String, Vec<String>>> = toml::from_str(&text)
            .map_err(|e| Error::input(path, format!("not a valid mapping file: {e}\nhint: write e.g. [cases]\ncase_id = [\"业务流水号\"]")))?;
        let mut out = HashMap::new();
        for (table_name, columns) in raw {
            let table = Table::ALL
                .into_iter()
                .find(|t| t.name() == table_name)
                .ok_or_else(|| {
                    Error::input(
                        path,
                        format!(
                            "unknown table [{table_name}]; use [matters], [cases] or [ratings]"
                        ),
                    )
                })?;
            let map: &mut HashMap<String, &'static str> = out.entry(table).or_default();
            for (column, aliases) in columns {
                let canonical = table.column(&column).ok_or_else(|| {
                    Error::input(path, format!("[{table_name}] has no column '{column}'"))
                })?;
                for a in aliases {
                    map.insert(normalise_header(&a), canonical.name);
                }
            }
        }
        Ok(UserAliases(out))
    }

    pub fn get(&self, table: Table, normalised: &str) -> Option<&'static str> {
        self.0.get(&table)?.get(normalised).copied()
    }

    pub fn all_normalised(&self) -> impl Iterator<Item = &String> {
        self.0.values().flat_map(|m| m.keys())
    }
}
