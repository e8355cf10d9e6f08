//! Command-line definitions (clap derive). Parsed once, then turned into the library's
//! settings; nothing below this module sees clap types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::ingest::values::ScoreScale;
use crate::settings::InputOptions;

/// pingjia (评价) — quarterly government-service assessment from 事项目录, 办件 and
/// 好差评 exports: indicators, district comparisons, data-quality findings and report
/// drafts.
#[derive(Debug, Parser)]
#[command(name = "pingjia", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the exports, validate every row and report what was found: rows read,
    /// valid and quarantined per table, the reasons rows were rejected, the quarters
    /// and regions in the data. Writes quarantine/<table>.csv and run.json to --out.
    Check(CheckArgs),
    /// Write a deterministic synthetic data set (淄博市, eight districts, 2024Q1–2025Q4)
    /// with the stories a report should surface, plus a dirty/ folder of broken rows.
    Sample(SampleArgs),
    /// Compute every indicator of queries/*.sql (docs/SPEC.md §4) per quarter for the city and
    /// each district (and departments or matters with --level), and write the long
    /// table quarter, level, key, name, indicator, numerator, denominator, value, unit.
    Indicators(IndicatorsArgs),
    /// Run ad-hoc SQL over the enriched views and print the result, e.g.
    /// pingjia query sample-data "SELECT region_key, COUNT(*) AS late FROM completed_cases WHERE NOT on_time GROUP BY region_key"
    Query(QueryArgs),
    /// 预警 (docs/SPEC.md §10): every case open at the as-of time with its deadline, the
    /// days it has left and a light — 红 overdue, 黄 about to be (--warn-days, default 1
    /// day left; or --warn-share), 绿 otherwise — most urgent first, and the counts per
    /// district, 乡镇/街道 and department. Writes watch.csv (and .parquet, .json, .arrow),
    /// watch_counts.csv and watch.xlsx to --out. Streams the data like `indicators`.
    Watch(WatchArgs),
    /// Data-quality audits of docs/SPEC.md §5 (数据质量核查): one table of offending rows per audit
    /// and a summary with counts, plus 超期办件清单 (overdue cases) and 差评台账 (bad ratings
    /// with rectification and revisit status).
    Audit(AuditArgs),
    /// District comparison (区县对比, docs/SPEC.md §6) for one quarter: pooled city value and the
    /// mean of districts, ranks, change on the previous quarter and a year earlier
    /// (百分点 for rates), targets met, distance to the best district, composite score.
    Compare(CompareArgs),
    /// Charts for one quarter, each as PNG and SVG with Chinese labels: district ranking
    /// bars and quarterly trends for the indicators whose files ask for them, 一级~四级网办率 per district,
    /// a district × indicator score heat map, and the 好差评 rating mix.
    Charts(ChartsArgs),
    /// The main job: ingest → enrich → indicators → compare → charts → report, for the
    /// latest complete quarter (or --quarter). Writes report.html (self-contained, prints
    /// to A4), dashboard.html, report.md, charts/, tables/, quarantine/ and run.json. Without --region it
    /// is the city's comparison of its districts; with --region, that district's
    /// self-inspection draft (自查报告) against the city.
    Report(ReportArgs),
    /// The dashboard (看板): one HTML file that opens offline in any browser, with every
    /// quarter's ranking of districts (of cities, for a province) with the whole's value,
    /// the target and what it takes to reach it, trends, the district × indicator heat map,
    /// and, district by district, the departments, 乡镇/街道 and matters with their
    /// 红黑榜, 预警 and data-quality counts. Writes dashboard.html to --out; `report`
    /// writes it too.
    Dashboard(DashboardArgs),
    /// Write the validated canonical tables — matters.parquet, cases.parquet,
    /// ratings.parquet with docs/SPEC.md §2 column names and types — for other engines (the
    /// job of `pingjia spark-job`) to read. Quarantine and run.json as for check.
    ExportCanonical(ExportCanonicalArgs),
    /// Emit a self-contained PySpark job that computes the same indicators on Apache
    /// Spark: pingjia_job.py, the enrich SQL, the indicator SQL and the calendar. Run it
    /// with spark-submit on a cluster or locally; feed its output back with
    /// `pingjia report --indicators TABLE.parquet`.
    SparkJob(SparkJobArgs),
}

#[derive(Debug, Args)]
pub struct ExportCanonicalArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder for matters.parquet, cases.parquet, ratings.parquet (plus quarantine/ and
    /// run.json).
    #[arg(long, value_name = "DIR", default_value = "pingjia-canonical")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SparkJobArgs {
    /// Folder to write the job into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Extra folder of indicator .sql files (added to, or overriding, the bundled queries/).
    #[arg(long, value_name = "DIR")]
    pub queries: Option<PathBuf>,

    /// Levels the job computes (comma-separated). Default: all five.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "LEVELS",
        default_value = "province,city,region,department,matter"
    )]
    pub level: Vec<crate::indicators::Level>,

    /// Calendar, region names and rectification limit baked into the job.
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub compare: CompareArgs,

    /// Whose report to write: a district's self-inspection report (its 6-digit code, e.g.
    /// 370303), or a city's comparison of its districts (370300). Without it: the city's
    /// report, or the province's comparison of its cities when the data hold several.
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,

    /// Also write every city's comparison of its districts, each in <OUT>/<city>/, each in
    /// the latest quarter of that city's data.
    #[arg(long)]
    pub all_cities: bool,

    /// Formats to write, comma-separated: html, xlsx, docx, md, dashboard.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "html,xlsx,docx,md,dashboard",
        value_name = "FORMATS"
    )]
    pub format: Vec<ReportFormat>,

    /// Chart resolution: 150 for screens, 300 for print.
    #[arg(long, default_value_t = 150, value_name = "DPI")]
    pub dpi: u32,
}

#[derive(Debug, Args)]
pub struct DashboardArgs {
    #[command(flatten)]
    pub compare: CompareArgs,

    /// A city whose districts to show (370300), or a district to open the page on among
    /// its city's (370303). Without it: the city, or the province when the data hold
    /// several of its cities.
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Html,
    Xlsx,
    Docx,
    Md,
    // dashboard.html: every quarter, drill-down to departments and matters.
    Dashboard,
}

#[derive(Debug, Args)]
pub struct ChartsArgs {
    #[command(flatten)]
    pub compare: CompareArgs,

    /// District to highlight among its city's (its 6-digit code, e.g. 370303), or a city
    /// whose districts to chart (370300). Without it: the city's districts, or the
    /// province's cities when the data hold several.
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,

    /// Resolution: 150 for screens and drafts, 300 for print.
    #[arg(long, default_value_t = 150, value_name = "DPI")]
    pub dpi: u32,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder for comparison.csv / .parquet / .json.
    #[arg(long, value_name = "DIR", default_value = "pingjia-out")]
    pub out: PathBuf,

    /// Quarter to compare, e.g. 2025Q4 or 2025年第四季度 (default: the latest complete quarter in the data).
    #[arg(long, value_name = "QUARTER", value_parser = crate::time::parse_quarter_arg)]
    pub quarter: Option<String>,

    /// Your assessment scheme (TOML: target, weight and floor per indicator; `[basis]`
    /// says where the rectification limit and targets come from). Default
    /// schemes/default.toml: the indicator files' targets and example weights, so a
    /// district's draft shows a composite score only from a scheme you give.
    #[arg(long, value_name = "FILE")]
    pub scheme: Option<PathBuf>,

    /// Extra folder of indicator .sql files.
    #[arg(long, value_name = "DIR")]
    pub queries: Option<PathBuf>,

    /// Render from a precomputed indicator table (Parquet file or folder of parts, e.g.
    /// the output of the Spark job) instead of computing it from DATA. Without DATA the
    /// audits and case lists are left out.
    #[arg(long, value_name = "TABLE.parquet")]
    pub indicators: Option<PathBuf>,

    /// Compute the indicators by streaming the data in chunks of --chunk-rows rows, as
    /// `pingjia indicators` does: memory stays bounded at any size (a province's year of
    /// cases). The data-quality audits, 超期办件清单 and 差评台账 need whole tables and
    /// are left out (run `pingjia audit` on a district's data for them).
    #[arg(long, conflicts_with = "indicators")]
    pub streaming: bool,

    /// Rows per chunk with --streaming.
    #[arg(long, value_name = "ROWS", default_value_t = crate::stream::DEFAULT_CHUNK_ROWS)]
    pub chunk_rows: usize,

    /// 红黑榜: fewest cases a department, matter or 乡镇/街道 needs to be ranked on an
    /// indicator over cases (below it: 样本不足).
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub board_min_cases: u32,

    /// 红黑榜: fewest ratings (or 差评, for 差评整改率) to be ranked on an indicator over ratings.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub board_min_ratings: u32,

    /// 红黑榜: how many ranks the 红榜 and the 黑榜 each show (ties share a rank).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub board_size: u32,
}

impl CompareArgs {
    /// The 红黑榜 settings.
    pub fn board_rules(&self) -> crate::compare::boards::BoardRules {
        crate::compare::boards::BoardRules {
            min_cases: f64::from(self.board_min_cases),
            min_ratings: f64::from(self.board_min_ratings),
            size: self.board_size.max(1),
        }
    }
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder for audits/<audit>.csv, audit_summary.csv, overdue_cases.csv, bad_ratings.csv.
    #[arg(long, value_name = "DIR", default_value = "pingjia-out")]
    pub out: PathBuf,
}

/// Where the input is and how to read it; shared by every command that reads data.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input folders or files. A folder's files (not its subfolders) are recognised as
    /// matters / cases / ratings by their names (事项目录, 办件, 好差评 …) or headers.
    /// Formats, told from the content, not the name: CSV (UTF-8, GBK/GB18030, UTF-16),
    /// XLSX/XLSM, XLSB, XLS, ODS, the HTML and SpreadsheetML "xls" web systems export,
    /// Parquet, NDJSON.
    #[arg(value_name = "DATA")]
    pub data: Vec<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,
}

/// How to read and interpret the input.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// TOML file with your export's own header names and value spellings, e.g.
    /// `[cases]` then `case_id = ["业务流水号"]`, and `[values.cases.channel]` then
    /// `"大厅自助机" = "kiosk"` (`pingjia check --suggest-mapping FILE` writes one to fill in).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,

    /// CSV `region_code,region_name` overriding or extending the bundled GB/T 2260 names.
    #[arg(long, value_name = "FILE")]
    pub regions: Option<PathBuf>,

    /// Holiday schedule CSV (`first,last,kind,name`, kind off|work) overriding or adding
    /// years to the bundled 2019–2026 State Council schedule.
    #[arg(long, value_name = "FILE")]
    pub calendar: Option<PathBuf>,

    /// Count dates outside the known holiday years as Mon–Fri working days instead of
    /// stopping with an error.
    #[arg(long)]
    pub weekday_only_outside_calendar: bool,

    /// How numeric satisfaction scores are coded: gbt39046 (1 = 非常满意 … 5 = 非常不满意,
    /// the national standard) or stars (5 = best).
    #[arg(long, value_enum, default_value_t = ScoreScale::Gbt39046, value_name = "SCALE")]
    pub score_scale: ScoreScale,

    /// Workbook sheet to read (default: the sheet whose header holds a table, so a
    /// 说明 / 填报说明 sheet first is passed over).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// Leave files of an input folder out on purpose (a file name pattern, e.g.
    /// '*.doc' or '说明*'; repeatable). Every other file is read or named in an error.
    #[arg(long, value_name = "PATTERN")]
    pub ignore: Vec<String>,

    /// Working days within which a 差评 must be rectified (provinces differ: 15, 10, 5).
    #[arg(long, value_name = "DAYS", default_value_t = 15)]
    pub rectification_days: i32,

    /// 统计截止时间: the moment the figures stand at, e.g. "2026-01-05 17:00" (a date alone
    /// means the end of that day). A 差评 whose rectification limit has not run out by then
    /// is pending (整改中), not a failure. Default: the latest timestamp in the data.
    #[arg(long, value_name = "TIME", value_parser = parse_as_of)]
    pub as_of: Option<i64>,

    /// Count ratings the system filled in when nobody rated (默认评价, e.g. 广东: no rating
    /// within 7 days counts as 基本满意) in 评价满意率 and 好评率. Default: they are left
    /// out — a default is no person's opinion; 主动评价率 shows how many there were.
    #[arg(long)]
    pub count_default_ratings: bool,

    /// 预警: an open case turns 黄 when this many working days (or calendar days, for a
    /// matter whose limit is in 自然日) or fewer are left before its deadline; 红 once
    /// it is past it. Default 1.
    #[arg(long, value_name = "DAYS", conflicts_with = "warn_share")]
    pub warn_days: Option<i32>,

    /// 预警 by the share of the promised days used instead, e.g. 0.5 (黄 from half the
    /// limit used, as 恩施 does).
    #[arg(long, value_name = "SHARE", value_parser = parse_share)]
    pub warn_share: Option<f64>,
}

/// `--warn-share`: a share between 0 and 1 (or a percentage, 50%).
fn parse_share(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let v = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|v| v / 100.0),
        None => t.parse::<f64>(),
    }
    .map_err(|_| format!("'{text}' is not a share\nhint: write e.g. 0.5 or 50%"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "'{text}' is not between 0 and 1\nhint: write e.g. 0.5 or 50%"
        ))
    }
}

/// `--as-of`: any timestamp spelling ingest accepts; a date alone is the end of that day.
fn parse_as_of(text: &str) -> Result<i64, String> {
    let ms = crate::ingest::values::parse_timestamp(text).map_err(|r| {
        format!(
            "{}\nhint: write the time like 2026-01-05 17:00 or 2026-01-05",
            r.message
        )
    })?;
    let has_time = text.contains([':', '时', '点']);
    Ok(if has_time || ms % 86_400_000 != 0 {
        ms
    } else {
        ms + 86_399_999
    })
}

impl ReadArgs {
    /// The definitions' settings (docs/SPEC.md §4).
    pub fn rules(&self) -> crate::enrich::Rules {
        crate::enrich::Rules {
            rectification_days: self.rectification_days,
            as_of: self.as_of,
            count_default_ratings: self.count_default_ratings,
            warning: match (self.warn_days, self.warn_share) {
                (_, Some(s)) => crate::watch::Window::ShareUsed(s),
                (Some(n), None) => crate::watch::Window::DaysLeft(n),
                (None, None) => crate::watch::Window::default(),
            },
        }
    }

    pub fn options(&self) -> InputOptions {
        InputOptions {
            mapping: self.mapping.clone(),
            regions: self.regions.clone(),
            calendar: self.calendar.clone(),
            weekday_only_outside_calendar: self.weekday_only_outside_calendar,
            score_scale: self.score_scale,
            sheet: self.sheet.clone(),
            ignore: self.ignore.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder for quarantine/<table>.csv, quarantine/cells.csv and run.json.
    #[arg(long, value_name = "DIR", default_value = "pingjia-out")]
    pub out: PathBuf,

    /// Write a mapping file (TOML) with every value the run did not recognise, ready to
    /// fill in; run again with --mapping FILE.
    #[arg(long, value_name = "FILE")]
    pub suggest_mapping: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Folder to write matters, cases and ratings into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Random seed; the same seed always gives byte-identical files.
    #[arg(long, default_value_t = 20251231)]
    pub seed: u64,

    /// Number of cases to generate (ratings ≈ 20% of them). Default: the committed
    /// sample-data size.
    #[arg(long, value_name = "N")]
    pub scale: Option<u64>,

    /// csv (Chinese headers, UTF-8 with BOM) or parquet (canonical columns).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: SampleFormat,

    /// Do not write the dirty/ folder of broken rows.
    #[arg(long)]
    pub no_dirty: bool,

    /// Cities of 山东省 to write, 1 to 16: 淄博市 with its stories, then the others in code
    /// order with their real district codes — a province-size data set for the province
    /// report. The --scale cases are shared among all their districts.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub cities: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SampleFormat {
    Csv,
    Parquet,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder for watch.csv, watch_counts.csv, watch.xlsx, quarantine/ and run.json.
    #[arg(long, value_name = "DIR", default_value = "pingjia-out")]
    pub out: PathBuf,

    /// Only this district (6 digits), or a city's districts (its code, e.g. 370300).
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,

    /// Rows of cases processed at a time (as for `indicators`).
    #[arg(long, value_name = "ROWS", default_value_t = crate::stream::DEFAULT_CHUNK_ROWS)]
    pub chunk_rows: usize,
}

/// `pingjia indicators`.
#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder for indicators.csv (UTF-8 with BOM), .parquet, .json and .arrow, plus
    /// quarantine/ and run.json.
    #[arg(long, value_name = "DIR", default_value = "pingjia-out")]
    pub out: PathBuf,

    /// Only this quarter, e.g. 2025Q4.
    #[arg(long, value_name = "QUARTER", conflicts_with_all = ["from", "to"], value_parser = crate::time::parse_quarter_arg)]
    pub quarter: Option<String>,

    /// First quarter of a range, e.g. 2024Q1.
    #[arg(long, value_name = "QUARTER", value_parser = crate::time::parse_quarter_arg)]
    pub from: Option<String>,

    /// Last quarter of a range, e.g. 2025Q4.
    #[arg(long, value_name = "QUARTER", value_parser = crate::time::parse_quarter_arg)]
    pub to: Option<String>,

    /// Levels to compute besides the city (comma-separated): province, city, region,
    /// township (乡镇/街道, from 9/12-digit codes), department, matter. Default: city and
    /// region.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LEVELS")]
    pub level: Vec<crate::indicators::Level>,

    /// Extra folder of indicator .sql files (added to, or overriding, the bundled queries/).
    #[arg(long, value_name = "DIR")]
    pub queries: Option<PathBuf>,

    /// Execution plan, for benchmarks: merged (one scan per view) or per-indicator.
    #[arg(long, value_enum, default_value = "merged", hide = true)]
    pub plan: crate::indicators::Plan,

    /// Rows of cases and ratings processed at a time. The merged plan streams the data
    /// in chunks of this many rows, so memory stays bounded at any data size; smaller
    /// chunks use less memory, larger ones run a little faster.
    #[arg(long, value_name = "ROWS", default_value_t = crate::stream::DEFAULT_CHUNK_ROWS)]
    pub chunk_rows: usize,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Input folder or file (see `pingjia check --help`).
    #[arg(value_name = "DATA")]
    pub data: PathBuf,

    /// SQL over the enriched views: accepted_cases, completed_cases,
    /// open_cases_at_quarter_end, ratings, matters (see queries/README.md for columns).
    #[arg(value_name = "SQL")]
    pub sql: String,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Also write the result to this CSV file (UTF-8 with BOM).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}
