//! Indicator files: `queries/<id>.sql`, a header of `-- key: value` lines, then one
//! SELECT over an enriched view returning `numerator` and `denominator`. All files are
//! validated together and every problem is reported with its file and line.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
    /// Volumes: no direction.
    None,
}

/// What an indicator's value is, which decides how it is shown and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A share (unit %): shown as 99.62%, changes in 百分点.
    Rate,
    /// A number of cases or ratings: whole numbers, changes in %.
    Count,
    /// A mean or other measure (工作日, 次): changes in %.
    Mean,
}

/// A chart an indicator gets in `charts` and the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    /// Districts best first, the city value as a line.
    Ranking,
    /// Each district over the quarters.
    Trend,
}

/// What the draft's 四、下一步工作 proposes when an indicator misses its target
/// (`-- measure: late`); without one it proposes raising the indicator itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Remedy {
    /// 逾期办结: 督促按承诺时限办结.
    Late,
    /// 超期未办结: 清理超期在办件.
    OpenOverdue,
    /// 差评未整改: 限期整改.
    Unrectified,
    /// 差评未回访.
    Revisit,
    /// 办件未上传.
    Upload,
    /// 差评多: 提升满意度.
    Satisfaction,
    /// 承诺时限压缩不足.
    Compression,
}

impl Remedy {
    const ALL: [(&'static str, Remedy); 7] = [
        ("late", Remedy::Late),
        ("open_overdue", Remedy::OpenOverdue),
        ("unrectified", Remedy::Unrectified),
        ("revisit", Remedy::Revisit),
        ("upload", Remedy::Upload),
        ("satisfaction", Remedy::Satisfaction),
        ("compression", Remedy::Compression),
    ];
}

impl ChartKind {
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Ranking => "ranking",
            ChartKind::Trend => "trend",
        }
    }
}

/// One indicator: its metadata and SQL body.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Indicator {
    pub id: String,
    /// 中文名称
    pub name: String,
    pub unit: String,
    pub kind: Kind,
    pub better: Better,
    /// 口径: the definition in one Chinese sentence.
    pub definition: String,
    pub basis: String,
    pub target: Option<f64>,
    /// Place among the headline indicators of reports (1 first), if any; it also orders
    /// the charts.
    pub headline: Option<u32>,
    /// The charts drawn for it (`-- chart: ranking trend`).
    pub charts: Vec<ChartKind>,
    /// Those of them the DOCX draft shows (`-- draft: ranking`).
    pub draft_charts: Vec<ChartKind>,
    /// What the draft proposes when it misses its target.
    pub measure: Option<Remedy>,
    /// Place among the rows a district draft's table adds after the headline indicators.
    pub table: Option<u32>,
    /// One success in words, `{n}` the number: `按期办结{n}件` (what it takes to reach a
    /// target: 还需再按期办结3件).
    pub success: Option<String>,
    /// One shortfall in words, `{n}` the number: `逾期办结{n}件` (存在的问题).
    pub failure: Option<String>,
    /// What a region needs to have a value, for ranks among those that do:
    /// `有到期差评` (第4位（5个有到期差评的区县）). Default 有数据.
    pub population: Option<String>,
    #[serde(skip)]
    pub sql: String,
    /// The view, filter, numerator and denominator of `sql`.
    #[serde(skip)]
    pub shape: super::plan::Shape,
    #[serde(skip)]
    pub file: PathBuf,
    /// The whole file as read (header and SQL), e.g. to ship with a Spark job.
    #[serde(skip)]
    pub text: String,
}

impl Indicator {
    /// Rates are shown in % and compared in 百分点; everything else is a count or mean.
    pub fn is_rate(&self) -> bool {
        self.kind == Kind::Rate
    }
}

/// The header keys of an indicator file.
const KEYS: [&str; 16] = [
    "id",
    "name",
    "unit",
    "kind",
    "better",
    "口径",
    "basis",
    "target",
    "headline",
    "chart",
    "draft",
    "measure",
    "table",
    "success",
    "failure",
    "population",
];

/// Parses one file; problems are returned as `file:line: message`.
pub fn parse(text: &str, file: &Path) -> std::result::Result<Indicator, Vec<String>> {
    let mut problems = Vec::new();
    let mut fields: Vec<(&str, String, usize)> = Vec::new();
    let mut body_start = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("--") {
            if body_start.is_none() {
                if let Some((k, v)) = rest.split_once(':').or_else(|| rest.split_once('：')) {
                    let k = k.trim();
                    match KEYS.iter().find(|key| **key == k) {
                        Some(key) => fields.push((key, v.trim().to_owned(), i + 1)),
                        None => problems.push(format!(
                            "{}:{}: unknown header key '{k}' (known: {})",
                            file.display(),
                            i + 1,
                            KEYS.join(", ")
                        )),
                    }
                }
            }
        } else if !t.is_empty() && body_start.is_none() {
            body_start = Some(i);
        }
    }
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _, _)| *key == k)
            .map(|(_, v, _)| v.clone())
    };
    let file_id = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = get("id").unwrap_or_default();
    for required in ["id", "name", "unit", "kind", "better", "口径"] {
        if get(required).is_none_or(|v| v.is_empty()) {
            problems.push(format!(
                "{}:1: missing header '-- {required}: …'",
                file.display()
            ));
        }
    }
    if !id.is_empty() && id != file_id {
        problems.push(format!(
            "{}:1: id '{id}' differs from the file name '{file_id}.sql'",
            file.display()
        ));
    }
    let better = match get("better").as_deref() {
        Some("higher") => Better::Higher,
        Some("lower") => Better::Lower,
        Some("none") | Some("—") | Some("") | None => Better::None,
        Some(other) => {
            problems.push(format!(
                "{}: better must be higher, lower or none, not '{other}'",
                file.display()
            ));
            Better::None
        }
    };
    let kind = match get("kind").as_deref() {
        Some("rate") => Kind::Rate,
        Some("count") => Kind::Count,
        Some("mean") | None => Kind::Mean,
        Some(other) => {
            problems.push(format!(
                "{}: kind must be rate, count or mean, not '{other}'",
                file.display()
            ));
            Kind::Mean
        }
    };
    if (kind == Kind::Rate) != (get("unit").as_deref() == Some("%")) {
        problems.push(format!(
            "{}: a rate has unit %, and only a rate does (kind {}, unit '{}')",
            file.display(),
            get("kind").unwrap_or_default(),
            get("unit").unwrap_or_default()
        ));
    }
    let mut chart_list = |key: &str| {
        let mut charts = Vec::new();
        for word in get(key).unwrap_or_default().split([' ', ',', '，']) {
            match word {
                "" => {}
                "ranking" => charts.push(ChartKind::Ranking),
                "trend" => charts.push(ChartKind::Trend),
                other => problems.push(format!(
                    "{}: {key} must list ranking and/or trend, not '{other}'",
                    file.display()
                )),
            }
        }
        charts
    };
    let charts = chart_list("chart");
    let draft_charts = chart_list("draft");
    if let Some(k) = draft_charts.iter().find(|k| !charts.contains(k)) {
        problems.push(format!(
            "{}: draft lists {} but chart does not draw it",
            file.display(),
            k.name()
        ));
    }
    let measure = match get("measure") {
        None => None,
        Some(m) => match Remedy::ALL.iter().find(|(name, _)| *name == m) {
            Some((_, r)) => Some(*r),
            None => {
                let names: Vec<&str> = Remedy::ALL.iter().map(|(n, _)| *n).collect();
                problems.push(format!(
                    "{}: measure must be one of {}, not '{m}'",
                    file.display(),
                    names.join(", ")
                ));
                None
            }
        },
    };
    let target = match get("target") {
        None => None,
        Some(t) => match t.trim_end_matches('%').parse::<f64>() {
            Ok(v) if t.ends_with('%') => Some(v / 100.0),
            Ok(v) => Some(v),
            Err(_) => {
                problems.push(format!("{}: target '{t}' is not a number", file.display()));
                None
            }
        },
    };
    let mut place = |key: &str| match get(key) {
        None => None,
        Some(h) => match h.parse::<u32>() {
            Ok(v) => Some(v),
            Err(_) => {
                problems.push(format!(
                    "{}: {key} '{h}' is not a whole number",
                    file.display()
                ));
                None
            }
        },
    };
    let headline = place("headline");
    let table = place("table");
    if headline.is_some() && table.is_some() {
        problems.push(format!(
            "{}: table places an indicator after the headline ones; a headline indicator is in the table already",
            file.display()
        ));
    }
    for key in ["success", "failure"] {
        if get(key).is_some_and(|v| !v.contains("{n}")) {
            problems.push(format!(
                "{}: {key} must hold {{n}} where the number goes, e.g. 按期办结{{n}}件",
                file.display()
            ));
        }
    }
    let sql: String = match body_start {
        Some(start) => text.lines().skip(start).collect::<Vec<_>>().join("\n"),
        None => {
            problems.push(format!("{}: no SQL body after the header", file.display()));
            String::new()
        }
    };
    let sql = sql.trim().trim_end_matches(';').to_owned();
    let shape = if sql.is_empty() {
        None
    } else {
        let line = body_start.map_or(1, |s| s + 1);
        super::plan::shape(&sql)
            .map_err(|e| problems.push(format!("{}:{line}: {e}", file.display())))
            .ok()
    };
    if let Some(shape) = &shape {
        let first_line = body_start.unwrap_or(0);
        problems.extend(
            unknown_names(&sql, &shape.view)
                .into_iter()
                .map(|(line, col, what)| {
                    format!("{}:{}:{col}: {what}", file.display(), first_line + line)
                }),
        );
    }
    let (Some(shape), true) = (shape, problems.is_empty()) else {
        return Err(problems);
    };
    Ok(Indicator {
        id,
        name: get("name").unwrap_or_default(),
        unit: get("unit").unwrap_or_default(),
        kind,
        better,
        definition: get("口径").unwrap_or_default(),
        basis: get("basis").unwrap_or_default(),
        target,
        headline,
        charts,
        draft_charts,
        measure,
        table,
        success: get("success"),
        failure: get("failure"),
        population: get("population"),
        sql,
        shape,
        file: file.to_owned(),
        text: text.to_owned(),
    })
}

/// Every view or column the SQL names that the enriched views do not have, as (line in
/// the body, column, what is wrong with the nearest valid name): checked before any data
/// is read, against the one declaration of the views (`src/views.rs`).
fn unknown_names(sql: &str, view_name: &str) -> Vec<(usize, u64, String)> {
    use crate::views::{View, VIEWS};
    use sqlparser::keywords::Keyword;
    use sqlparser::tokenizer::{Token, Tokenizer};
    let Some(view) = View::named(view_name) else {
        let names: Vec<&str> = VIEWS.iter().map(|v| v.name).collect();
        let (line, col) = sql
            .lines()
            .enumerate()
            .find_map(|(i, l)| l.find(view_name).map(|at| (i + 1, column_after(&l[..at]))))
            .unwrap_or((1, 1));
        return vec![(
            line,
            col,
            format!(
                "no view '{view_name}'{} (views: {})",
                nearest(view_name, &names),
                names.join(", ")
            ),
        )];
    };
    let columns = view.columns();
    let Ok(tokens) =
        Tokenizer::new(&sqlparser::dialect::GenericDialect {}, sql).tokenize_with_location()
    else {
        return Vec::new(); // the parser has said what is wrong
    };
    let solid: Vec<_> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    let mut out = Vec::new();
    for (i, t) in solid.iter().enumerate() {
        let Token::Word(w) = &t.token else { continue };
        let after_as =
            i > 0 && matches!(&solid[i - 1].token, Token::Word(p) if p.keyword == Keyword::AS);
        let call = matches!(solid.get(i + 1).map(|n| &n.token), Some(Token::LParen));
        if (w.keyword != Keyword::NoKeyword && w.quote_style.is_none()) || after_as || call {
            continue;
        }
        let name = if w.quote_style.is_some() {
            w.value.clone()
        } else {
            w.value.to_lowercase()
        };
        if name == view.name || columns.contains(&name.as_str()) {
            continue;
        }
        out.push((
            t.span.start.line as usize,
            t.span.start.column,
            format!(
                "view {} has no column '{name}'{}",
                view.name,
                nearest(&name, &columns)
            ),
        ));
    }
    out
}

/// The 1-based column just after `before` (counted in characters, as sqlparser counts).
fn column_after(before: &str) -> u64 {
    before.chars().count() as u64 + 1
}

/// ", did you mean 'x'?" for the closest of `names` when it is close, else nothing.
fn nearest(name: &str, names: &[&str]) -> String {
    names
        .iter()
        .map(|n| (strsim::levenshtein(name, n), *n))
        .min()
        .filter(|(d, _)| *d <= (name.chars().count() / 3).max(2))
        .map(|(_, n)| format!(", did you mean '{n}'?"))
        .unwrap_or_default()
}

/// The bundled indicators, `queries/*.sql` as they were when the binary was built
/// (listed by build.rs): (file name, text).
const BUNDLED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_queries.rs"));

/// The bundled indicators, then every `.sql` file of the user's folders, each adding an
/// indicator or replacing the one with its id (later folders win). Nothing is read from
/// the working directory unless named: a `queries/` folder where the user stands is not
/// picked up.
pub fn load(dirs: &[PathBuf]) -> Result<Vec<Indicator>> {
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut problems = Vec::new();
    let mut add = |text: &str, file: &Path| match parse(text, file) {
        Ok(ind) => {
            indicators.retain(|i| i.id != ind.id);
            indicators.push(ind);
        }
        Err(p) => problems.extend(p),
    };
    for (name, text) in BUNDLED {
        add(text, &Path::new("queries").join(name));
    }
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        if files.is_empty() {
            return Err(Error::Usage(format!(
                "no indicator .sql files in {}\nhint: --queries names a folder of <id>.sql files (see queries/README.md)",
                dir.display()
            )));
        }
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| Error::io(&f, e))?;
            add(&text, &f);
        }
    }
    if problems.is_empty() {
        // The user's files (the bundled ones are tested): type errors only a run shows.
        let users: Vec<&Indicator> = indicators
            .iter()
            .filter(|i| !BUNDLED.iter().any(|(_, text)| *text == i.text))
            .collect();
        problems = super::check_types(&users)?;
    }
    if !problems.is_empty() {
        return Err(Error::Usage(format!(
            "indicator files have problems:\n  {}",
            problems.join("\n  ")
        )));
    }
    Ok(indicators)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_body() {
        let text = "-- id: x\n-- name: 测试\n-- unit: %\n-- kind: rate\n-- better: higher\n-- 口径: 一句话。\n-- target: 99%\nSELECT 1 AS numerator, 2 AS denominator FROM ratings;\n";
        let i = parse(text, Path::new("q/x.sql")).unwrap();
        assert_eq!(i.target, Some(0.99));
        assert_eq!(i.better, Better::Higher);
        assert_eq!(
            i.sql,
            "SELECT 1 AS numerator, 2 AS denominator FROM ratings"
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text =
            "-- id: y\n-- colour: red\nSELECT 1 AS numerator FROM ratings GROUP BY region_key\n";
        let p = parse(text, Path::new("q/x.sql")).unwrap_err();
        let all = p.join("\n");
        for expected in [
            "unknown header key 'colour'",
            "missing header '-- name",
            "differs from the file name",
            "x.sql:3: no GROUP BY",
        ] {
            assert!(all.contains(expected), "{expected} not in\n{all}");
        }
    }

    /// What decides display and comparison is said, not guessed from the unit: `kind` is
    /// required, a rate has unit % and only a rate does, and the presentation keys take
    /// only their known words.
    #[test]
    fn kind_and_presentation_keys_are_checked() {
        let head = |extra: &str| {
            format!("-- id: x\n-- name: 测试\n-- better: higher\n-- 口径: 一句话。\n{extra}SELECT 1 AS numerator, 2 AS denominator FROM ratings\n")
        };
        let problems = |extra: &str| {
            parse(&head(extra), Path::new("x.sql"))
                .unwrap_err()
                .join("\n")
        };
        assert!(problems("-- unit: %\n").contains("missing header '-- kind"));
        assert!(problems("-- unit: %\n-- kind: count\n").contains("a rate has unit %"));
        assert!(problems("-- unit: 件\n-- kind: rate\n").contains("a rate has unit %"));
        assert!(
            problems("-- unit: 件\n-- kind: share\n").contains("kind must be rate, count or mean")
        );
        assert!(problems("-- unit: %\n-- kind: rate\n-- chart: pie\n")
            .contains("chart must list ranking"));
        assert!(
            problems("-- unit: %\n-- kind: rate\n-- chart: ranking\n-- draft: trend\n")
                .contains("draft lists trend but chart does not draw it")
        );
        assert!(problems("-- unit: %\n-- kind: rate\n-- measure: pray\n")
            .contains("measure must be one of late"));
        assert!(
            problems("-- unit: %\n-- kind: rate\n-- headline: 1\n-- table: 2\n")
                .contains("a headline indicator is in the table already")
        );
        let i = parse(
            &head("-- unit: 工作日\n-- kind: mean\n-- chart: trend ranking\n-- draft: ranking\n-- measure: late\n-- table: 3\n"),
            Path::new("x.sql"),
        )
        .unwrap();
        assert_eq!(i.kind, Kind::Mean);
        assert!(!i.is_rate());
        assert_eq!(i.charts, [ChartKind::Trend, ChartKind::Ranking]);
        assert_eq!(i.draft_charts, [ChartKind::Ranking]);
        assert_eq!(i.measure, Some(Remedy::Late));
        assert_eq!(i.table, Some(3));
    }
}
