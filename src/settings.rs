//! Settings: what the stages need to know, built once from the command line and the
//! user's files (alias and value mapping, region table, calendar). No stage sees clap
//! types.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::ingest::values::ScoreScale;
use crate::ingest::vocabulary::{fold, Vocabulary, Words};
use crate::regions::{RegionScope, Regions};
use crate::schema::{header_keys, Table};

/// Options that shape how input is read.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// TOML file of extra header aliases and value spellings, e.g.
    /// `[cases]\ncase_id = ["业务流水号"]` and `[values.cases.channel]\n"大厅自助机" = "kiosk"`.
    pub mapping: Option<PathBuf>,
    /// `region_code,region_name` file overriding or extending GB/T 2260 names.
    pub regions: Option<PathBuf>,
    /// Holiday schedule file overriding or extending the bundled one.
    pub calendar: Option<PathBuf>,
    /// Count dates outside the known holiday years with the weekday rule.
    pub weekday_only_outside_calendar: bool,
    pub score_scale: ScoreScale,
    /// Workbook sheet to read (default: the one that holds a table).
    pub sheet: Option<String>,
    /// File name patterns (globs) of an input folder to leave out.
    pub ignore: Vec<String>,
}

/// Everything ingest and the later stages need, loaded and checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub aliases: UserAliases,
    pub vocabulary: Vocabulary,
    pub regions: Regions,
    /// Where the data belongs (the catalogue's districts), to settle region names that
    /// exist in several places.
    pub region_scope: RegionScope,
    pub calendar: Calendar,
    pub score_scale: ScoreScale,
    pub sheet: Option<String>,
    ignore: globset::GlobSet,
    /// Files given to --mapping, --regions, --calendar (left out when they sit among the
    /// data), with the option's name.
    option_files: Vec<(PathBuf, &'static str)>,
}

impl Settings {
    pub fn load(options: &InputOptions) -> Result<Self> {
        let mapping = match &options.mapping {
            Some(p) => Mapping::load(p)?,
            None => Mapping::default(),
        };
        let mut ignore = globset::GlobSetBuilder::new();
        for pattern in &options.ignore {
            ignore.add(globset::Glob::new(pattern).map_err(|e| {
                Error::Usage(format!(
                    "--ignore '{pattern}' is not a file pattern: {e}\nhint: write e.g. --ignore '*.doc' or --ignore '说明*'"
                ))
            })?);
        }
        Ok(Settings {
            aliases: mapping.aliases,
            vocabulary: Vocabulary::with_user(mapping.values),
            regions: Regions::load(options.regions.as_deref())?,
            region_scope: RegionScope::default(),
            calendar: Calendar::load(
                options.calendar.as_deref(),
                options.weekday_only_outside_calendar,
            )?,
            score_scale: options.score_scale,
            sheet: options.sheet.clone(),
            ignore: ignore
                .build()
                .map_err(|e| Error::Usage(format!("--ignore: {e}")))?,
            option_files: [
                (&options.mapping, "--mapping"),
                (&options.regions, "--regions"),
                (&options.calendar, "--calendar"),
            ]
            .into_iter()
            .filter_map(|(p, name)| Some((std::fs::canonicalize(p.as_ref()?).ok()?, name)))
            .collect(),
        })
    }

    /// The option a file was given to (`--regions` …), when it sits among the data.
    pub fn option_file(&self, path: &Path) -> Option<&'static str> {
        let path = std::fs::canonicalize(path).ok()?;
        self.option_files
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, name)| *name)
    }

    /// Whether an --ignore pattern leaves this file out (matched against its name and
    /// its path).
    pub fn ignored(&self, path: &Path) -> bool {
        !self.ignore.is_empty()
            && (path.file_name().is_some_and(|n| self.ignore.is_match(n))
                || self.ignore.is_match(path))
    }
}

/// User-supplied header aliases: table → normalised alias → canonical column.
#[derive(Debug, Clone, Default)]
pub struct UserAliases(HashMap<Table, HashMap<String, &'static str>>);

impl UserAliases {
    pub fn get(&self, table: Table, normalised: &str) -> Option<&'static str> {
        self.0.get(&table)?.get(normalised).copied()
    }
}

/// What a --mapping file says: header aliases per table, and value spellings per column.
#[derive(Default)]
struct Mapping {
    aliases: UserAliases,
    values: HashMap<(Table, &'static str, String), &'static str>,
}

impl Mapping {
    fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let raw: toml::Table = toml::from_str(&text).map_err(|e| {
            Error::input(
                path,
                format!("not a valid mapping file: {e}\nhint: write e.g. [cases]\ncase_id = [\"业务流水号\"]"),
            )
        })?;
        let mut out = Mapping::default();
        let table_named = |name: &str| -> Result<Table> {
            Table::ALL
                .into_iter()
                .find(|t| t.name() == name)
                .ok_or_else(|| {
                    Error::input(
                        path,
                        format!("unknown table [{name}]; use [matters], [cases] or [ratings]"),
                    )
                })
        };
        for (key, value) in raw {
            if key == "values" {
                let tables = value.as_table().ok_or_else(|| {
                    Error::input(path, "[values] holds [values.<table>.<column>] sections")
                })?;
                for (table_name, columns) in tables {
                    let table = table_named(table_name)?;
                    let columns = columns.as_table().ok_or_else(|| {
                        Error::input(path, format!("[values.{table_name}] holds [values.{table_name}.<column>] sections"))
                    })?;
                    for (column, spellings) in columns {
                        out.add_values(path, table, column, spellings)?;
                    }
                }
                continue;
            }
            let table = table_named(&key)?;
            let columns = value.as_table().ok_or_else(|| {
                Error::input(
                    path,
                    format!("[{key}] must list columns, e.g. case_id = [\"业务流水号\"]"),
                )
            })?;
            let map = out.aliases.0.entry(table).or_default();
            for (column, aliases) in columns {
                let canonical = table.column(column).ok_or_else(|| {
                    Error::input(path, format!("[{key}] has no column '{column}'"))
                })?;
                let list = aliases.as_array().ok_or_else(|| {
                    Error::input(path, format!("[{key}] {column} must be a list of headers"))
                })?;
                for a in list {
                    let a = a.as_str().ok_or_else(|| {
                        Error::input(path, format!("[{key}] {column}: headers are strings"))
                    })?;
                    let [whole, _] = header_keys(a);
                    map.insert(whole, canonical.name);
                }
            }
        }
        Ok(out)
    }

    /// `[values.<table>.<column>]`: spelling = canonical value (or any spelling the
    /// bundled vocabulary knows for it). An empty value is one not filled in yet.
    fn add_values(
        &mut self,
        path: &Path,
        table: Table,
        column: &str,
        spellings: &toml::Value,
    ) -> Result<()> {
        let section = format!("[values.{}.{column}]", table.name());
        let spec = table.column(column).ok_or_else(|| {
            Error::input(
                path,
                format!(
                    "{section}: the {} table has no column '{column}'",
                    table.name()
                ),
            )
        })?;
        let words = Words::of(spec.kind).ok_or_else(|| {
            Error::input(
                path,
                format!(
                    "{section}: {} ({column}) has no vocabulary of values to add to",
                    spec.chinese
                ),
            )
        })?;
        let list = spellings.as_table().ok_or_else(|| {
            Error::input(
                path,
                format!("{section} lists \"spelling\" = \"value\" lines"),
            )
        })?;
        let bundled = Vocabulary::bundled();
        for (spelling, meaning) in list {
            let meaning = meaning.as_str().ok_or_else(|| {
                Error::input(
                    path,
                    format!("{section} \"{spelling}\": the value is a string"),
                )
            })?;
            if meaning.trim().is_empty() {
                continue;
            }
            let canonical = bundled.canonical(words, meaning).ok_or_else(|| {
                Error::input(
                    path,
                    format!(
                        "{section} \"{spelling}\" = \"{meaning}\": not a value of {} ({column})\nhint: use one of {}",
                        spec.chinese,
                        words.values().join(", ")
                    ),
                )
            })?;
            self.values
                .insert((table, spec.name, fold(spelling)), canonical);
        }
        Ok(())
    }
}
