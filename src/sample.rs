//! The deterministic sample-data generator (docs/SPEC.md §8): 淄博市 and its eight districts,
//! eight quarters 2024Q1–2025Q4, Chinese headers, and the stories a report should
//! surface:
//!
//! - 周村区's 即办件率 jumps from 2025Q3 (its case mix shifts to 即办 matters);
//! - 博山区's 差评整改 slips in 2025Q2 (bad ratings rectified late or not at all);
//! - 沂源县 has a legal-days outlier (取水许可 880 days vs its neighbours' 40);
//! - 高青县 declares 四级 (全程网办) matters whose cases mostly come to the window;
//! - catalogue slips for the audits: promised > legal (临淄区), a 22-day matter marked
//!   即办件 (桓台县, whose cases then carry 办件类型 即办件 too), a 四级 matter needing a
//!   visit (淄川区), mixed day units (教育局),
//!   uncompressed 公安局 matters.
//!
//! The same seed gives byte-identical files on every machine: the generator uses its
//! own SplitMix64 (a crate's generator may change its stream between versions) and
//! writes rows in a fixed order. Rows are written in chunks, so `--scale 100000000`
//! never holds the whole table in memory.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::time::{civil_from_days, days_from_civil};

/// Cases in the committed sample-data (about 3,000 a quarter).
pub const DEFAULT_CASES: u64 = 24_000;

/// The eight districts of 淄博市 with their relative case volume and online share.
pub const DISTRICTS: [(&str, &str, f64, f64); 8] = [
    ("370302", "淄川区", 1.0, 0.62),
    ("370303", "张店区", 1.6, 0.78),
    ("370304", "博山区", 0.7, 0.55),
    ("370305", "临淄区", 1.1, 0.70),
    ("370306", "周村区", 0.8, 0.60),
    ("370321", "桓台县", 0.8, 0.58),
    ("370322", "高青县", 0.5, 0.50),
    ("370323", "沂源县", 0.6, 0.52),
];

pub const FIRST_YEAR: i32 = 2024;
pub const QUARTERS: usize = 8;

/// SplitMix64: tiny, fast, and stable forever.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// A catalogue template, instantiated per district.
struct Template {
    code: &'static str,
    name: &'static str,
    department: &'static str,
    category: &'static str,
    legal: Option<i32>,
    unit: &'static str,
    promised: i32,
    depth: i32,
    visits: i32,
    weight: f64,
    /// Share of cases with a 特别程序 (inspection, expert review …).
    suspends: f64,
}

#[allow(clippy::too_many_arguments)] // one row of the template table, field by field
const fn t(
    code: &'static str,
    name: &'static str,
    department: &'static str,
    category: &'static str,
    legal: Option<i32>,
    promised: i32,
    depth: i32,
    visits: i32,
    weight: f64,
) -> Template {
    Template {
        code,
        name,
        department,
        category,
        legal,
        unit: "工作日",
        promised,
        depth,
        visits,
        weight,
        suspends: 0.0,
    }
}

const TEMPLATES: &[Template] = &[
    t(
        "370000000101",
        "公司设立登记",
        "市场监管局",
        "行政许可",
        Some(6),
        0,
        4,
        0,
        8.0,
    ),
    t(
        "370000000102",
        "个体工商户设立登记",
        "市场监管局",
        "行政许可",
        Some(15),
        0,
        4,
        0,
        10.0,
    ),
    t(
        "370000000103",
        "食品经营许可",
        "市场监管局",
        "行政许可",
        Some(20),
        5,
        4,
        0,
        6.0,
    ),
    t(
        "370000000104",
        "药品零售企业经营许可",
        "市场监管局",
        "行政许可",
        Some(30),
        10,
        3,
        1,
        2.0,
    ),
    t(
        "370000000105",
        "特种设备使用登记",
        "市场监管局",
        "行政许可",
        Some(15),
        3,
        4,
        0,
        2.0,
    ),
    t(
        "370000000201",
        "建设工程规划许可证核发",
        "自然资源局",
        "行政许可",
        Some(20),
        7,
        3,
        1,
        1.5,
    ),
    t(
        "370000000301",
        "建筑工程施工许可证核发",
        "住建局",
        "行政许可",
        Some(15),
        3,
        4,
        0,
        2.0,
    ),
    t(
        "370000000302",
        "商品房预售许可",
        "住建局",
        "行政许可",
        Some(20),
        10,
        3,
        1,
        1.0,
    ),
    t(
        "370000000303",
        "城镇污水排入排水管网许可",
        "住建局",
        "行政许可",
        Some(20),
        10,
        4,
        0,
        0.6,
    ),
    t(
        "370000000401",
        "道路货物运输经营许可",
        "交通运输局",
        "行政许可",
        Some(20),
        5,
        4,
        0,
        2.0,
    ),
    t(
        "370000000402",
        "出租汽车驾驶员从业资格证核发",
        "交通运输局",
        "行政许可",
        Some(20),
        5,
        4,
        0,
        1.5,
    ),
    Template {
        suspends: 0.25,
        ..t(
            "370000000501",
            "医疗机构执业登记",
            "卫健局",
            "行政许可",
            Some(45),
            15,
            3,
            1,
            1.0,
        )
    },
    t(
        "370000000502",
        "公共场所卫生许可",
        "卫健局",
        "行政许可",
        Some(20),
        3,
        4,
        0,
        3.0,
    ),
    Template {
        unit: "自然日",
        ..t(
            "370000000601",
            "民办学校设立审批",
            "教育局",
            "行政许可",
            Some(90),
            60,
            2,
            2,
            0.3,
        )
    },
    t(
        "370000000701",
        "最低生活保障对象认定",
        "民政局",
        "行政确认",
        Some(30),
        15,
        3,
        1,
        1.5,
    ),
    t(
        "370000000702",
        "结婚登记",
        "民政局",
        "行政确认",
        None,
        0,
        2,
        1,
        3.0,
    ),
    t(
        "370000000703",
        "高龄津贴发放",
        "民政局",
        "行政给付",
        Some(20),
        5,
        4,
        0,
        1.0,
    ),
    t(
        "370000000801",
        "失业保险金申领",
        "人社局",
        "行政给付",
        Some(10),
        0,
        4,
        0,
        3.0,
    ),
    t(
        "370000000802",
        "职业资格证书核发",
        "人社局",
        "行政确认",
        Some(20),
        5,
        4,
        0,
        1.0,
    ),
    t(
        "370000000803",
        "社会保障卡申领",
        "人社局",
        "公共服务",
        None,
        0,
        4,
        0,
        4.0,
    ),
    t(
        "370000000901",
        "城乡居民基本医疗保险参保登记",
        "医保局",
        "公共服务",
        None,
        0,
        4,
        0,
        3.0,
    ),
    t(
        "370000000902",
        "异地就医备案",
        "医保局",
        "公共服务",
        None,
        0,
        4,
        0,
        2.0,
    ),
    t(
        "370000001001",
        "取水许可",
        "水利局",
        "行政许可",
        Some(40),
        15,
        3,
        1,
        0.5,
    ),
    t(
        "370000001101",
        "排污许可",
        "生态环境局",
        "行政许可",
        Some(20),
        10,
        4,
        0,
        0.6,
    ),
    Template {
        suspends: 0.2,
        ..t(
            "370000001102",
            "建设项目环境影响报告表审批",
            "生态环境局",
            "行政许可",
            Some(30),
            15,
            3,
            1,
            0.6,
        )
    },
    t(
        "370000001201",
        "户外广告设施设置审批",
        "综合执法局",
        "行政许可",
        Some(20),
        5,
        4,
        0,
        0.8,
    ),
    t(
        "370000001301",
        "烟草专卖零售许可",
        "烟草专卖局",
        "行政许可",
        Some(20),
        10,
        4,
        0,
        1.0,
    ),
    t(
        "370000001401",
        "犬只登记",
        "公安局",
        "行政确认",
        Some(20),
        20,
        2,
        1,
        0.8,
    ),
    t(
        "370000001402",
        "户口迁移",
        "公安局",
        "行政确认",
        Some(20),
        20,
        3,
        1,
        1.0,
    ),
    t(
        "370000001501",
        "对未取得许可从事经营活动的处罚",
        "市场监管局",
        "行政处罚",
        Some(90),
        90,
        1,
        1,
        0.0,
    ),
];

/// One district's catalogue row.
#[derive(Debug, Clone)]
pub struct Matter {
    pub region: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub department: &'static str,
    pub category: &'static str,
    pub legal: Option<i32>,
    pub legal_unit: &'static str,
    pub promised: i32,
    pub unit: &'static str,
    pub is_instant: bool,
    pub depth: i32,
    pub visits: i32,
    weight: f64,
    suspends: f64,
    /// 高青县's declared-but-unused 全程网办: cases mostly at the window.
    unused_online: bool,
}

/// The catalogue of all eight districts, with per-district variation and the planted slips.
pub fn catalogue(rng: &mut Rng) -> Vec<Matter> {
    let mut out = Vec::new();
    for (region, name, _, _) in DISTRICTS {
        for tpl in TEMPLATES {
            let mut m = Matter {
                region,
                code: tpl.code,
                name: tpl.name,
                department: tpl.department,
                category: tpl.category,
                legal: tpl.legal,
                legal_unit: tpl.unit,
                promised: tpl.promised,
                unit: tpl.unit,
                is_instant: tpl.promised == 0,
                depth: tpl.depth,
                visits: tpl.visits,
                weight: tpl.weight,
                suspends: tpl.suspends,
                unused_online: false,
            };
            // Districts differ a little: a day or two shorter promises, a level less online.
            if m.promised > 3 && rng.chance(0.3) {
                m.promised -= 1 + rng.below(2) as i32;
            }
            if m.depth == 4 && rng.chance(0.06) {
                m.depth = 3;
                m.visits = 1;
            }
            match (name, tpl.name) {
                ("沂源县", "取水许可") => m.legal = Some(880),
                ("临淄区", "烟草专卖零售许可") => m.promised = 25,
                ("桓台县", "建设项目环境影响报告表审批") => {
                    m.promised = 22;
                    m.is_instant = true;
                }
                ("淄川区", "食品经营许可") => m.visits = 1,
                (
                    "高青县",
                    "食品经营许可"
                    | "道路货物运输经营许可"
                    | "公共场所卫生许可"
                    | "户外广告设施设置审批",
                ) => {
                    m.unused_online = true;
                }
                _ => {}
            }
            if tpl.name == "民办学校设立审批" {
                m.unit = "工作日"; // promised in working days, legal in calendar days
            }
            out.push(m);
        }
    }
    out
}

/// Chinese headers of the sample CSVs (the canonical names are aliases too).
pub const MATTER_HEADERS: &[&str] = &[
    "行政区划代码",
    "事项编码",
    "事项名称",
    "实施部门",
    "事项类型",
    "法定办结时限",
    "法定办结时限单位",
    "承诺办结时限",
    "承诺办结时限单位",
    "是否即办件",
    "网上办理深度",
    "最多跑动次数",
];
pub const CASE_HEADERS: &[&str] = &[
    "办件编号",
    "事项编码",
    "行政区划代码",
    "受理部门",
    "申办渠道",
    "办件类型",
    "受理时间",
    "办结时间",
    "办件状态",
    "承诺时限",
    "特别程序时长",
    "跑动次数",
];
pub const RATING_HEADERS: &[&str] = &[
    "评价编号",
    "办件编号",
    "行政区划代码",
    "事项编码",
    "部门",
    "评价渠道",
    "评价结果",
    "评价时间",
    "是否实名",
    "整改时间",
    "回访时间",
    "回访是否满意",
    "是否上传",
];

fn matter_row(m: &Matter) -> Vec<String> {
    vec![
        m.region.into(),
        m.code.into(),
        m.name.into(),
        m.department.into(),
        m.category.into(),
        m.legal.map(|d| d.to_string()).unwrap_or_default(),
        m.legal_unit.into(),
        if m.promised == 0 {
            "即办".into()
        } else {
            m.promised.to_string()
        },
        m.unit.into(),
        if m.is_instant { "是" } else { "否" }.into(),
        ["不可网办", "一级", "二级", "三级", "四级"][m.depth as usize].into(),
        m.visits.to_string(),
    ]
}

/// Milliseconds since 1970 → `YYYY-MM-DD HH:MM:SS`.
fn timestamp(day: i32, minute_of_day: i32) -> String {
    let d = civil_from_days(day);
    format!(
        "{} {:02}:{:02}:{:02}",
        d.format("%Y-%m-%d"),
        minute_of_day / 60,
        minute_of_day % 60,
        0
    )
}

/// Where rows go: CSV text with Chinese headers, or canonical Parquet in chunks.
trait Sink {
    fn row(&mut self, fields: Vec<String>) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Rows go to a temporary file renamed to `path` by `finish`: an interrupted run never
/// leaves a cases.csv that looks complete.
struct CsvSink {
    path: PathBuf,
    tmp: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
}

impl CsvSink {
    fn create(path: &Path, headers: &[&str]) -> Result<Self> {
        let tmp = crate::output::temporary_name(path);
        let file = std::fs::File::create(&tmp).map_err(|e| Error::output(&tmp, e))?;
        let mut s = CsvSink {
            tmp,
            path: path.to_owned(),
            file: std::io::BufWriter::with_capacity(1 << 20, file),
        };
        s.file
            .write_all(b"\xEF\xBB\xBF")
            .map_err(|e| Error::output(path, e))?;
        s.row(headers.iter().map(|h| h.to_string()).collect())?;
        Ok(s)
    }
}

impl Sink for CsvSink {
    fn row(&mut self, fields: Vec<String>) -> Result<()> {
        let line: Vec<String> = fields
            .into_iter()
            .map(|f| {
                if f.contains([',', '"', '\n']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f
                }
            })
            .collect();
        writeln!(self.file, "{}", line.join(",")).map_err(|e| Error::output(&self.path, e))
    }
    fn finish(mut self: Box<Self>) -> Result<()> {
        self.file
            .flush()
            .map_err(|e| Error::output(&self.path, e))?;
        std::fs::rename(&self.tmp, &self.path).map_err(|e| Error::output(&self.path, e))
    }
}

/// Canonical Parquet: docs/SPEC.md §2 column names and types, values as ingest makes them (each
/// chunk of text rows goes through the same validation as an export), so other engines
/// read it as it is.
struct ParquetSink {
    path: PathBuf,
    table: crate::schema::Table,
    settings: crate::settings::Settings,
    /// Written here, renamed to `path` by `finish`.
    tmp: PathBuf,
    headers: Vec<String>,
    buffer: Vec<Vec<String>>,
    writer: Option<polars::io::parquet::write::BatchedWriter<std::fs::File>>,
}

const PARQUET_CHUNK: usize = 1 << 20;

impl ParquetSink {
    fn create(path: &Path, table: crate::schema::Table, headers: Vec<String>) -> Result<Self> {
        Ok(ParquetSink {
            path: path.to_owned(),
            table,
            settings: crate::settings::Settings::load(&Default::default())?,
            tmp: crate::output::temporary_name(path),
            headers,
            buffer: Vec::new(),
            writer: None,
        })
    }
    fn flush(&mut self) -> Result<()> {
        use polars::prelude::*;
        if self.buffer.is_empty() {
            return Ok(());
        }
        let columns: Vec<polars::prelude::Column> = self
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                StringChunked::from_iter_options(
                    h.into(),
                    self.buffer
                        .iter()
                        .map(|r| Some(r[i].as_str()).filter(|s| !s.is_empty())),
                )
                .into_series()
                .into()
            })
            .collect();
        let text = DataFrame::new(self.buffer.len(), columns)
            .map_err(|e| Error::input(&self.path, e.to_string()))?;
        let raw = crate::ingest::read::from_frame(&self.path, text)?;
        let valid = crate::ingest::validate::validate(&raw, self.table, &self.settings)?;
        if let Some(q) = valid.quarantine.first() {
            return Err(Error::input(
                &self.path,
                format!(
                    "generated row {} is invalid: {} ({})",
                    q.row,
                    q.reasons(),
                    q.columns()
                ),
            ));
        }
        let df = valid.frame;
        if self.writer.is_none() {
            let file = std::fs::File::create(&self.tmp).map_err(|e| Error::output(&self.tmp, e))?;
            self.writer = Some(
                ParquetWriter::new(file)
                    .batched(df.schema())
                    .map_err(|e| Error::input(&self.path, e.to_string()))?,
            );
        }
        self.writer
            .as_mut()
            .expect("created")
            .write_batch(&df)
            .map_err(|e| Error::input(&self.path, e.to_string()))?;
        self.buffer.clear();
        Ok(())
    }
}

impl Sink for ParquetSink {
    fn row(&mut self, fields: Vec<String>) -> Result<()> {
        self.buffer.push(fields);
        if self.buffer.len() >= PARQUET_CHUNK {
            self.flush()?;
        }
        Ok(())
    }
    fn finish(mut self: Box<Self>) -> Result<()> {
        self.flush()?;
        if let Some(w) = self.writer.take() {
            w.finish()
                .map_err(|e| Error::input(&self.path, e.to_string()))?;
            std::fs::rename(&self.tmp, &self.path).map_err(|e| Error::output(&self.path, e))?;
        }
        Ok(())
    }
}

/// What to write.
#[derive(Debug, Clone)]
pub struct SampleOptions {
    pub out: PathBuf,
    pub seed: u64,
    pub cases: u64,
    pub parquet: bool,
    pub dirty: bool,
}

/// Rows written per table.
#[derive(Debug, Clone, Default)]
pub struct SampleCounts {
    pub matters: u64,
    pub cases: u64,
    pub ratings: u64,
}

fn sink(opts: &SampleOptions, table: &str, headers: &[&str]) -> Result<Box<dyn Sink>> {
    if opts.parquet {
        let canonical = crate::schema::Table::ALL
            .into_iter()
            .find(|t| t.name() == table)
            .expect("known table");
        let names = headers
            .iter()
            .map(|h| {
                canonical
                    .columns()
                    .iter()
                    .find(|c| c.chinese == *h || c.aliases.contains(h))
                    .map_or(h.to_string(), |c| c.name.to_string())
            })
            .collect();
        Ok(Box::new(ParquetSink::create(
            &opts.out.join(format!("{table}.parquet")),
            canonical,
            names,
        )?))
    } else {
        Ok(Box::new(CsvSink::create(
            &opts.out.join(format!("{table}.csv")),
            headers,
        )?))
    }
}

/// Writes the sample data set.
pub fn generate(
    opts: &SampleOptions,
    calendar: &Calendar,
    progress: &dyn Fn(u64),
) -> Result<SampleCounts> {
    std::fs::create_dir_all(&opts.out).map_err(|e| Error::output(&opts.out, e))?;
    let mut rng = Rng::new(opts.seed);
    let mut counts = SampleCounts::default();
    let matters = catalogue(&mut rng);
    let mut ms = sink(opts, "matters", MATTER_HEADERS)?;
    for m in &matters {
        ms.row(matter_row(m))?;
        counts.matters += 1;
    }
    ms.finish()?;

    let mut cs = sink(opts, "cases", CASE_HEADERS)?;
    let mut rs = sink(opts, "ratings", RATING_HEADERS)?;
    let scale = opts.cases as f64 / DEFAULT_CASES as f64;
    let total_weight: f64 = DISTRICTS.iter().map(|d| d.2).sum();
    let per_quarter = DEFAULT_CASES as f64 / QUARTERS as f64;
    let mut rating_seq = 0u64;
    let outside = |e: crate::calendar::OutsideCalendar| Error::Usage(e.to_string());
    let last_day = days_from_civil(FIRST_YEAR + (QUARTERS as i32) / 4, 1, 1).expect("valid") - 1;

    for q in 0..QUARTERS {
        let year = FIRST_YEAR + q as i32 / 4;
        let first = days_from_civil(year, (q as u32 % 4) * 3 + 1, 1).expect("valid");
        let next = if q % 4 == 3 {
            days_from_civil(year + 1, 1, 1)
        } else {
            days_from_civil(year, (q as u32 % 4) * 3 + 4, 1)
        }
        .expect("valid");
        let working: Vec<i32> = (first..next)
            .filter(|d| calendar.is_working_day(*d).unwrap_or(false))
            .collect();
        for (di, (region, dname, weight, online_share)) in DISTRICTS.iter().enumerate() {
            let local: Vec<&Matter> = matters
                .iter()
                .filter(|m| m.region == *region && m.weight > 0.0)
                .collect();
            let instant_jump = *dname == "周村区" && q >= 6;
            let weights: Vec<f64> = local
                .iter()
                .map(|m| {
                    if instant_jump && m.promised == 0 {
                        m.weight * 4.0
                    } else {
                        m.weight
                    }
                })
                .collect();
            let growth = 1.0 + 0.02 * q as f64;
            let n = (per_quarter * weight / total_weight * growth * scale).round() as u64;
            let late_share = [0.004, 0.0025, 0.006, 0.004, 0.005, 0.006, 0.008, 0.007][di];
            for i in 0..n {
                let m = local[rng.weighted(&weights)];
                let day = working[rng.below(working.len() as u64) as usize];
                let minute = 8 * 60 + 30 + rng.below(8 * 60) as i32;
                let case_id = format!("{region}{year}{:02}{i:07}", q % 4 + 1);
                // Channel: 全程网办 matters mostly online, others mostly at the window.
                let p_online = match m.depth {
                    4 if m.unused_online => 0.15,
                    4 => *online_share + 0.15,
                    3 => online_share * 0.6,
                    _ => 0.05,
                };
                let channel = if rng.chance(p_online) {
                    if rng.chance(0.6) {
                        "网上办理"
                    } else {
                        "移动端"
                    }
                } else if rng.chance(0.03) {
                    "自助终端"
                } else if rng.chance(0.01) {
                    "邮寄"
                } else {
                    "窗口"
                };
                let override_days = (m.promised > 0 && rng.chance(0.005)).then_some(m.promised + 5);
                let promised = override_days.unwrap_or(m.promised);
                let r = rng.unit();
                let (status, completed) = if r < 0.012 {
                    ("不予受理", None)
                } else if r < 0.02 {
                    ("撤件", None)
                } else if rng.chance(0.002) {
                    ("在办", None) // stuck: becomes 超期未办结 once its promise passes
                } else {
                    let late = rng.chance(late_share);
                    let net = if promised == 0 {
                        late as i32
                    } else if late {
                        promised + 1 + rng.below(5) as i32
                    } else {
                        (rng.unit() * rng.unit() * (promised + 1) as f64) as i32
                    };
                    let suspended = if rng.chance(m.suspends) {
                        3 + rng.below(8) as i32
                    } else {
                        0
                    };
                    let end_day = if m.unit == "自然日" {
                        day + net + suspended
                    } else {
                        calendar
                            .add_working_days(day, net + suspended)
                            .map_err(outside)?
                    };
                    let end_minute = if end_day == day {
                        (minute + 10 + rng.below(90) as i32).min(23 * 60)
                    } else {
                        8 * 60 + 30 + rng.below(9 * 60) as i32
                    };
                    if end_day > last_day {
                        ("在办", None)
                    } else {
                        ("办结", Some((end_day, end_minute, suspended)))
                    }
                };
                let window = channel == "窗口" || channel == "自助终端";
                cs.row(vec![
                    case_id.clone(),
                    m.code.into(),
                    (*region).into(),
                    m.department.into(),
                    channel.into(),
                    if m.is_instant {
                        "即办件"
                    } else {
                        "承诺件"
                    }
                    .into(),
                    timestamp(day, minute),
                    completed
                        .map(|(d, mi, _)| timestamp(d, mi))
                        .unwrap_or_default(),
                    status.into(),
                    override_days.map(|d| d.to_string()).unwrap_or_default(),
                    completed.map_or(0, |c| c.2).to_string(),
                    if window { "1" } else { "0" }.into(),
                ])?;
                counts.cases += 1;
                progress(counts.cases);

                // About one completed case in five is rated.
                if let Some((cday, cmin, _)) = completed {
                    if rng.chance(0.21) {
                        rating_seq += 1;
                        counts.ratings += 1;
                        let slipping = *dname == "博山区" && q == 5;
                        rs.row(rating(
                            &mut rng,
                            calendar,
                            rating_seq,
                            Some(&case_id),
                            m,
                            cday,
                            cmin,
                            slipping,
                            last_day,
                        )?)?;
                    }
                }
            }
            // Ratings with no case (12345 hotline, QR codes on the hall wall).
            let loose = (n as f64 * 0.004).round() as u64;
            for _ in 0..loose {
                let m = local[rng.weighted(&weights)];
                let day = working[rng.below(working.len() as u64) as usize];
                rating_seq += 1;
                counts.ratings += 1;
                rs.row(rating(
                    &mut rng, calendar, rating_seq, None, m, day, 600, false, last_day,
                )?)?;
            }
        }
    }
    cs.finish()?;
    rs.finish()?;
    if opts.dirty {
        write_dirty(&opts.out.join("dirty"))?;
    }
    Ok(counts)
}

#[allow(clippy::too_many_arguments)]
fn rating(
    rng: &mut Rng,
    calendar: &Calendar,
    seq: u64,
    case_id: Option<&str>,
    m: &Matter,
    day: i32,
    minute: i32,
    slipping: bool,
    last_day: i32,
) -> Result<Vec<String>> {
    let outside = |e: crate::calendar::OutsideCalendar| Error::Usage(e.to_string());
    let rated_day = (day + rng.below(3) as i32).min(last_day);
    let rated_minute = if rated_day == day {
        (minute + 30).min(23 * 60 + 30)
    } else {
        9 * 60 + rng.below(12 * 60) as i32
    };
    let bad_share = if slipping { 0.06 } else { 0.006 };
    let r = rng.unit();
    let level = if r < bad_share * 0.8 {
        "不满意"
    } else if r < bad_share {
        "非常不满意"
    } else if r < bad_share + 0.025 {
        "基本满意"
    } else if r < bad_share + 0.14 {
        "满意"
    } else {
        "非常满意"
    };
    let bad = level.contains("不满意");
    let real_name = rng.chance(0.9);
    let channel = ["评价器", "二维码", "移动端", "网站", "短信", "12345热线"]
        [rng.weighted(&[45.0, 25.0, 15.0, 8.0, 5.0, 2.0])];
    let (mut rectified, mut revisited, mut revisit_ok) =
        (String::new(), String::new(), String::new());
    if bad {
        // Normally rectified within 1–10 working days; 博山区 2025Q2 slips.
        let wd = if slipping {
            if rng.chance(0.4) {
                None
            } else {
                Some(16 + rng.below(10) as i32)
            }
        } else {
            Some(1 + rng.below(10) as i32)
        };
        if let Some(wd) = wd {
            let d = calendar.add_working_days(rated_day, wd).map_err(outside)?;
            if d <= last_day {
                rectified = timestamp(d, 10 * 60 + rng.below(6 * 60) as i32);
            }
        }
        if real_name {
            let d = calendar
                .add_working_days(rated_day, 1 + rng.below(4) as i32)
                .map_err(outside)?;
            if d <= last_day && !(slipping && rng.chance(0.5)) {
                revisited = timestamp(d, 15 * 60);
                revisit_ok = if rng.chance(0.85) { "是" } else { "否" }.into();
            }
        }
    }
    Ok(vec![
        format!("PJ{seq:09}"),
        case_id.unwrap_or_default().into(),
        m.region.into(),
        m.code.into(),
        m.department.into(),
        if case_id.is_none() {
            "12345热线"
        } else {
            channel
        }
        .into(),
        level.into(),
        timestamp(rated_day, rated_minute),
        if real_name { "是" } else { "否" }.into(),
        rectified,
        revisited,
        revisit_ok,
        if rng.chance(0.997) { "是" } else { "否" }.into(),
    ])
}

/// `dirty/`: a few good rows, one broken row of every kind ingest quarantines (an id,
/// region, matter code, required timestamp or score that is missing or wrong — docs/SPEC.md §1),
/// one unknown cell of every kind that keeps its row, a summary row, and personal-data
/// columns (fake values) that must never reach an output.
fn write_dirty(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    let matters = "\u{feff}行政区划代码,事项编码,事项名称,实施部门,事项类型,法定办结时限,法定办结时限单位,承诺办结时限,承诺办结时限单位,是否即办件,网上办理深度,最多跑动次数
370303,370000000101,公司设立登记,市场监管局,行政许可,6,工作日,即办,工作日,是,四级,0
370303,370000000103,食品经营许可,市场监管局,行政许可,20,工作日,5,工作日,否,四级,0
370303,370000000199,事项类型写错,市场监管局,行政审批,20,工作日,5,工作日,否,四级,0
370303,370000000198,法定时限为负,市场监管局,行政许可,-20,工作日,5,工作日,否,四级,0
370303,370000000197,网办深度写错,市场监管局,行政许可,20,工作日,5,工作日,否,五级,0
370303,370000000196,时限单位写错,市场监管局,行政许可,20,小时,5,工作日,否,四级,0
370303,370000000195,,市场监管局,行政许可,20,工作日,5,工作日,否,四级,0
370399,370000000194,区划不存在,市场监管局,行政许可,20,工作日,5,工作日,否,四级,0
370303,370000000193,承诺时限写成文字,市场监管局,行政许可,20,工作日,看情况,工作日,否,四级,0
370303,370000000192,即办标记写错,市场监管局,行政许可,20,工作日,5,工作日,也许,四级,0
370303,3.70000000191E+11,事项编码被改成数字,市场监管局,行政许可,20,工作日,5,工作日,否,四级,0
淄博市张店区,370000000190,区划写成名称,市场监管局,行政许可,20,工作日,5,工作日,否,全程网办（Ⅳ级）,0次
".to_owned();
    let mut cases = "\u{feff}办件编号,事项编码,行政区划代码,受理部门,申办渠道,办件类型,受理时间,办结时间,办件状态,承诺时限,特别程序时长,跑动次数,申请人姓名,身份证号,手机号
3703032025040000001,370000000101,370303,市场监管局,网上办理,即办件,2025-10-09 09:12:00,2025-10-09 09:40:00,办结,,0,0,张三,370303199001011234,13812345678
3703032025040000002,370000000103,370303,市场监管局,窗口,承诺件,2025-10-09 10:00:00,2025-10-13 15:00:00,办结,,0,1,李四,370303198502023456,13987654321
3703032025040000003,370000000103,370303,市场监管局,窗口,承诺件,2025-13-45 10:00:00,,在办,,0,1,王五,370303197703037890,13700001111
3703032025040000004,370000000103,370303,市场监管局,窗口,承诺件,,,在办,,0,1,赵六,370303196604041357,13600002222
3703032025040000005,370000000103,370399,市场监管局,窗口,承诺件,2025-10-10 10:00:00,,在办,,0,1,孙七,370303195505052468,13500003333
3703032025040000006,370000000103,张店区,市场监管局,大厅窗口,承诺件,2025/10/10 上午 10:00:00,,审批中,,0,1,周八,370303194406063579,13400004444
3703032025040000007,370000000103,370303,市场监管局,飞鸽传书,承诺件,2025-10-10 10:00:00,,在办,,0,1,吴九,370303193307074680,13300005555
3703032025040000008,370000000103,370303,市场监管局,窗口,承诺件,2025-10-10 10:00:00,,待定,,0,1,郑十,370303192208085791,13200006666
3703032025040000009,370000000103,370303,市场监管局,窗口,承诺件,2025-10-10 10:00:00,2025-10-20 10:00:00,办结,,-2,1,钱一,370303191109096802,13100007777
3703032025040000010,370000000103,370303,市场监管局,窗口,承诺件,2025-10-10 10:00:00,2025-10-20 10:00:00,办结,看情况,0,1,陈二,370303190010107913,13000008888
,370000000103,370303,市场监管局,窗口,承诺件,2025-10-10 10:00:00,2025-10-20 10:00:00,办结,,0,1,林三,370303200111118024,15900009999
3703032025040000012,370000000103,370303,市场监管局,窗口,承诺件,2025-10-10 10:00:00,明天,办结,,0,1,黄四,370303201212129135,15800001212
3.70303202504E+18,370000000103,370303,市场监管局,窗口,承诺件,2025-10-10 10:00:00,2025-10-20 10:00:00,办结,,0,1,刘五,370303201303039246,15700001313
3703032025040000014,370000000103,370303,市场监管局,窗口,承诺件,2091-10-10 10:00:00,,在办,,0,1,何六,370303201404049357,15600001414
3703032025040000016,370000000103,370303001000,市场监管局,网上申报,承诺件,2025年10月10日 9时5分,,在办,,0,1,马八,370303201606061579,15400001616
".as_bytes().to_vec();
    // A row holding GBK bytes (a name pasted in from a GBK file): quarantined, not fatal.
    cases.extend_from_slice(b"3703032025040000015,370000000103,370303,");
    cases.extend(encoding_rs::GBK.encode("民政局").0.iter());
    cases.extend_from_slice(
        ",窗口,承诺件,2025-10-10 10:00:00,,在办,,0,1,高七,370303201505050468,15500001515\n"
            .as_bytes(),
    );
    cases.extend_from_slice("合计,,,,,,,,,,,,,,\n".as_bytes());
    let ratings = "\u{feff}评价编号,办件编号,行政区划代码,事项编码,部门,评价渠道,满意度代码,评价时间,是否实名,整改时间,回访时间,回访是否满意,是否上传,评价人姓名,联系电话
PJ900000001,3703032025040000001,370303,370000000101,市场监管局,评价器,1,2025-10-09 10:00:00,是,,,,是,张三,13812345678
PJ900000002,3703032025040000002,370303,370000000103,市场监管局,二维码,4,2025-10-14 10:00:00,是,2025-10-16 10:00:00,2025-10-15 15:00:00,是,是,李四,13987654321
PJ900000003,3703032025040000002,370303,370000000103,市场监管局,二维码,7,2025-10-14 10:00:00,是,,,,是,王五,13700001111
PJ900000004,3703032025040000002,370303,370000000103,市场监管局,二维码,0,2025-10-14 10:00:00,是,,,,是,赵六,13600002222
PJ900000005,3703032025040000002,370303,370000000103,市场监管局,二维码,说不清,2025-10-14 10:00:00,是,,,,是,孙七,13500003333
PJ900000006,3703032025040000002,370303,370000000103,市场监管局,二维码,2,2025年十月,是,,,,是,周八,13400004444
PJ900000007,3703032025040000002,379999,370000000103,市场监管局,二维码,2,2025-10-14 10:00:00,是,,,,是,吴九,13300005555
PJ900000008,3703032025040000002,370303,370000000103,市场监管局,二维码,2,2025-10-14 10:00:00,也许,,,,是,郑十,13200006666
,3703032025040000002,370303,370000000103,市场监管局,二维码,2,2025-10-14 10:00:00,是,,,,是,钱一,13100007777
PJ900000010,3703032025040000002,370303,370000000103,市场监管局,飞鸽传书,2,2025-10-14 10:00:00,是,,,,是,陈二,13000008888
PJ900000011,3.70303202504E+18,370303,370000000103,市场监管局,二维码,2,2025-10-14 10:00:00,是,,,,是,刘五,13000009999
PJ900000012,3703032025040000001,370303,370000000101,市场监管局,评价器,★★★★★,2025-10-09 11:00:00,√,,,,√,何六,13000001010
".to_owned();
    for (name, bytes) in [
        ("matters.csv", matters.into_bytes()),
        ("cases.csv", cases),
        ("ratings.csv", ratings.into_bytes()),
    ] {
        crate::output::write_atomic(&dir.join(name), |f| f.write_all(&bytes))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_reference_values() {
        // Reference outputs of SplitMix64 for seed 0 (Vigna's splitmix64.c).
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }
}
