//! Lists as people read them — 超期办件清单 and 差评台账 in `tables/` and the workbook:
//! Chinese headers, the district's name beside its code, values in the words reports use
//! (评价器, 在办, 工作日, 是/否, 2025年第四季度), times to the minute. The frames the
//! pipeline computes with keep their canonical values; this is the last step before a file.

use polars::prelude::*;

use crate::error::{PolarsContext, Result};
use crate::ingest::vocabulary::{Vocabulary, Words};
use crate::regions::Regions;
use crate::schema::Table;

/// Headers of the columns the lists derive (the input columns take the schema's Chinese
/// name).
fn derived_header(name: &str) -> Option<&'static str> {
    Some(match name {
        "quarter" => "季度",
        "kind" => "类型",
        "matter_name" => "事项名称",
        "time_unit" => "时限单位",
        "effective_promised_days" => "承诺时限",
        "days_used" => "已用时长",
        "days_over" => "超出时限",
        "rectification_deadline" => "整改期限",
        "working_days_to_rectify" => "整改用时（工作日）",
        "deadline" => "办理期限",
        "days_left" => "剩余时限",
        "light" => "预警",
        _ => return None,
    })
}

fn header(table: Table, name: &str) -> String {
    derived_header(name)
        .or_else(|| table.column(name).map(|c| c.chinese))
        .unwrap_or(name)
        .to_owned()
}

/// `df`, a list of rows of `table`, as people read it.
pub fn for_people(df: &DataFrame, table: Table, regions: &Regions) -> Result<DataFrame> {
    let vocabulary = Vocabulary::bundled();
    let mut columns: Vec<Column> = Vec::new();
    for column in df.columns() {
        let name = column.name().as_str();
        let words = match name {
            // Joined from the catalogue: the unit of the case's promised days.
            "time_unit" => Some(Words::DayUnit),
            _ => table.column(name).and_then(|c| Words::of(c.kind)),
        };
        let shown: Column = match column.dtype() {
            DataType::Datetime(_, _) => column
                .as_materialized_series()
                .datetime()
                .context("people list")?
                .to_string("%Y-%m-%d %H:%M")
                .context("people list")?
                .into_series()
                .into_column(),
            DataType::Date => column
                .as_materialized_series()
                .date()
                .context("people list")?
                .to_string("%Y-%m-%d")
                .context("people list")?
                .into_series()
                .into_column(),
            DataType::Boolean => {
                let b = column.bool().context("people list")?;
                let yes = vocabulary.display(Words::Bool, "true").unwrap_or("是");
                let no = vocabulary.display(Words::Bool, "false").unwrap_or("否");
                b.iter()
                    .map(|v| v.map(|v| if v { yes } else { no }))
                    .collect::<StringChunked>()
                    .into_column()
            }
            DataType::String if name == "quarter" => {
                strings(column, |q| Some(crate::format::quarter(q)))?
            }
            DataType::String => match words {
                Some(w) => strings(column, |v| vocabulary.display(w, v).map(str::to_owned))?,
                None => column.clone(),
            },
            _ => column.clone(),
        };
        columns.push(shown.with_name(header(table, name).into()));
        if name == "region_code" {
            let names = strings(column, |code| regions.name(code).map(str::to_owned))?;
            columns.push(names.with_name("区县".into()));
        }
    }
    DataFrame::new(df.height(), columns).context("people list")
}

/// A string column with each value shown by `show` (unchanged where it gives None).
fn strings(column: &Column, show: impl Fn(&str) -> Option<String>) -> Result<Column> {
    let ca = column.str().context("people list")?;
    Ok(ca
        .iter()
        .map(|v| v.map(|v| show(v).unwrap_or_else(|| v.to_owned())))
        .collect::<StringChunked>()
        .into_column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ledger_row_reads_as_people_write_it() {
        let df = df! {
            "quarter" => ["2025Q4"],
            "rating_id" => ["R1"],
            "region_code" => ["370303"],
            "channel" => ["device"],
            "real_name" => [true],
        }
        .unwrap()
        .lazy()
        .with_column(
            lit(1_767_198_540_000i64) // 2025-12-31 16:29 UTC
                .cast(DataType::Datetime(TimeUnit::Milliseconds, None))
                .alias("rated_at"),
        )
        .collect()
        .unwrap();
        let regions = Regions::load(None).unwrap();
        let out = for_people(&df, Table::Ratings, &regions).unwrap();
        let names: Vec<&str> = out.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names[0], "季度");
        assert_eq!(names[3], "区县", "the name beside the code");
        let row = out.get_row(0).unwrap().0;
        let text: Vec<String> = row
            .iter()
            .map(|v| v.get_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(text[0], "2025年第四季度");
        assert_eq!(text[3], "张店区");
        assert_eq!(text[4], "评价器");
        assert_eq!(text[5], "是");
        assert_eq!(text[6], "2025-12-31 16:29");
    }
}
