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

/// One indicator: its metadata and SQL body.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Indicator {
    pub id: String,
    /// 中文名称
    pub name: String,
    pub unit: String,
    pub better: Better,
    /// 口径: the definition in one Chinese sentence.
    pub definition: String,
    pub basis: String,
    pub target: Option<f64>,
    /// Place among the headline indicators of reports and charts (1 first), if any.
    pub headline: Option<u32>,
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
}

impl Indicator {
    /// Rates are shown in % and compared in 百分点; everything else is a count or mean.
    pub fn is_rate(&self) -> bool {
        self.unit == "%"
    }
}

/// The header keys of an indicator file.
const KEYS: [&str; 11] = [
    "id",
    "name",
    "unit",
    "better",
    "口径",
    "basis",
    "target",
    "headline",
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
    for required in ["id", "name", "unit", "better", "口径"] {
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
    let headline = match get("headline") {
        None => None,
        Some(h) => match h.parse::<u32>() {
            Ok(v) => Some(v),
            Err(_) => {
                problems.push(format!(
                    "{}: headline '{h}' is not a whole number",
                    file.display()
                ));
                None
            }
        },
    };
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
    let (Some(shape), true) = (shape, problems.is_empty()) else {
        return Err(problems);
    };
    Ok(Indicator {
        id,
        name: get("name").unwrap_or_default(),
        unit: get("unit").unwrap_or_default(),
        better,
        definition: get("口径").unwrap_or_default(),
        basis: get("basis").unwrap_or_default(),
        target,
        headline,
        success: get("success"),
        failure: get("failure"),
        population: get("population"),
        sql,
        shape,
        file: file.to_owned(),
    })
}

/// Loads every `.sql` file of the folders (later folders override earlier ids).
pub fn load(dirs: &[PathBuf]) -> Result<Vec<Indicator>> {
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut problems = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| Error::io(&f, e))?;
            match parse(&text, &f) {
                Ok(ind) => {
                    indicators.retain(|i| i.id != ind.id);
                    indicators.push(ind);
                }
                Err(p) => problems.extend(p),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Usage(format!(
            "indicator files have problems:\n  {}",
            problems.join("\n  ")
        )));
    }
    if indicators.is_empty() {
        let shown: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        return Err(Error::Usage(format!(
            "no indicator .sql files in {}",
            shown.join(", ")
        )));
    }
    Ok(indicators)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_body() {
        let text = "-- id: x\n-- name: 测试\n-- unit: %\n-- better: higher\n-- 口径: 一句话。\n-- target: 99%\nSELECT 1 AS numerator, 2 AS denominator FROM ratings;\n";
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
}
