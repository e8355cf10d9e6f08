//! The report as an XLSX workbook (rust_xlsxwriter): sheets 指标汇总, 区县对比, 趋势,
//! 数据质量, 超期办件清单, 差评台账. Numbers stay numbers with Excel formats (0.00% for
//! rates), the header row is frozen, column widths fit Chinese text, and the ranking
//! chart and heat map are embedded as images. Opens in Excel and WPS.

use polars::prelude::*;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Image, Workbook, Worksheet, XlsxError,
};

use super::{Report, Scope, HEADLINE};
use crate::compare::IndicatorRow;

pub const SHEETS: [&str; 6] = [
    "指标汇总",
    "区县对比",
    "趋势",
    "数据质量",
    "超期办件清单",
    "差评台账",
];

/// Tables the workbook lists in full.
pub struct Lists<'a> {
    pub audit_summary: &'a DataFrame,
    pub overdue: &'a DataFrame,
    pub bad_ratings: &'a DataFrame,
}

struct Formats {
    header: Format,
    percent: Format,
    count: Format,
    decimal: Format,
    points: Format,
    percent_change: Format,
    text: Format,
}

impl Formats {
    fn new() -> Self {
        let base = Format::new()
            .set_font_name("Microsoft YaHei")
            .set_font_size(10);
        Formats {
            header: base
                .clone()
                .set_bold()
                .set_background_color("DDE8F3")
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            percent: base.clone().set_num_format("0.00%"),
            count: base.clone().set_num_format("#,##0"),
            decimal: base.clone().set_num_format("0.00"),
            points: base
                .clone()
                .set_num_format("+0.00\"个百分点\";-0.00\"个百分点\";0.00"),
            percent_change: base.clone().set_num_format("+0.00\"%\";-0.00\"%\";0.00"),
            text: base,
        }
    }
    fn for_unit(&self, unit: &str) -> &Format {
        match unit {
            "%" => &self.percent,
            "件" | "条" => &self.count,
            _ => &self.decimal,
        }
    }
}

/// Display width of text in Excel character units (CJK characters count double).
fn width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.1 } else { 2.1 })
        .sum::<f64>()
        + 2.0
}

struct Sheet<'a> {
    ws: &'a mut Worksheet,
    widths: Vec<f64>,
}

impl Sheet<'_> {
    fn header(&mut self, headers: &[String], f: &Formats) -> Result<(), XlsxError> {
        for (c, h) in headers.iter().enumerate() {
            self.ws
                .write_string_with_format(0, c as u16, h, &f.header)?;
            self.fit(c, h);
        }
        self.ws.set_freeze_panes(1, 0)?;
        Ok(())
    }
    fn fit(&mut self, c: usize, text: &str) {
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 8.0);
        }
        self.widths[c] = self.widths[c].max(width(text)).min(60.0);
    }
    fn text(&mut self, r: u32, c: usize, s: &str, f: &Formats) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(r, c as u16, s, &f.text)?;
        self.fit(c, s);
        Ok(())
    }
    fn number(
        &mut self,
        r: u32,
        c: usize,
        v: Option<f64>,
        fmt: &Format,
        shown: &str,
    ) -> Result<(), XlsxError> {
        match v {
            Some(v) => {
                self.ws.write_number_with_format(r, c as u16, v, fmt)?;
            }
            None => {
                self.ws.write_string(r, c as u16, "—")?;
            }
        }
        self.fit(c, shown);
        Ok(())
    }
    fn finish(self) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            self.ws.set_column_width(c as u16, *w)?;
        }
        Ok(())
    }
}

/// Builds the workbook in memory.
pub fn render(
    report: &Report,
    rows: &[IndicatorRow],
    lists: &Lists,
    charts: &[(&str, Vec<u8>)],
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    // Dated by the quarter's last day, not the clock: the same data gives the same file.
    let (_, end) = crate::enrich::quarter_bounds(&report.quarter).unwrap_or((0, 0));
    let d = crate::time::civil_from_days(end);
    use chrono::Datelike;
    let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&report.title)
            .set_author("pingjia")
            .set_creation_datetime(&date),
    );
    let key = report.scope.code().to_owned();

    // 指标汇总: the scope's indicators for the quarter.
    {
        let mut s = Sheet {
            ws: wb.add_worksheet().set_name(SHEETS[0])?,
            widths: vec![],
        };
        let headers = [
            "指标",
            "单位",
            "数值",
            "全市（合计口径）",
            "区县平均",
            "排名",
            "较上季度",
            "同比",
            "目标",
            "是否达标",
            "口径",
        ];
        s.header(&headers.map(String::from), &f)?;
        let mut r = 1;
        for ind in report.indicators {
            let Some(c) = report
                .comparison
                .iter()
                .find(|c| c.key == key && c.indicator == ind.id)
            else {
                continue;
            };
            let fmt = f.for_unit(&c.unit);
            let change_fmt = if c.unit == "%" {
                &f.points
            } else {
                &f.percent_change
            };
            s.text(r, 0, &c.indicator_name, &f)?;
            s.text(r, 1, &c.unit, &f)?;
            s.number(r, 2, c.value, fmt, "100.00%")?;
            s.number(
                r,
                3,
                if c.level == "region" {
                    c.parent_value
                } else {
                    c.value
                },
                fmt,
                "100.00%",
            )?;
            s.number(r, 4, c.sibling_mean, fmt, "100.00%")?;
            s.text(
                r,
                5,
                &c.rank
                    .map(|x| format!("{x}/{}", c.rank_of))
                    .unwrap_or_else(|| "—".into()),
                &f,
            )?;
            s.number(r, 6, c.qoq_change, change_fmt, "+10.00个百分点")?;
            s.number(r, 7, c.yoy_change, change_fmt, "+10.00个百分点")?;
            s.number(r, 8, c.target, fmt, "100.00%")?;
            s.text(
                r,
                9,
                match c.met {
                    Some(true) => "达标",
                    Some(false) => "未达标",
                    None => "—",
                },
                &f,
            )?;
            s.text(r, 10, &ind.definition, &f)?;
            r += 1;
        }
        s.finish()?;
    }

    // 区县对比: districts × headline indicators, value and rank.
    {
        let ws = wb.add_worksheet().set_name(SHEETS[1])?;
        let mut s = Sheet { ws, widths: vec![] };
        let mut headers = vec![
            "区县".to_owned(),
            "综合得分".to_owned(),
            "综合排名".to_owned(),
        ];
        for id in HEADLINE {
            let name = report
                .indicators
                .iter()
                .find(|i| i.id == id)
                .map_or(id.to_owned(), |i| i.name.clone());
            headers.push(name.clone());
            headers.push(format!("{name}排名"));
        }
        s.header(&headers, &f)?;
        let mut districts: Vec<(&str, &str)> = report
            .comparison
            .iter()
            .filter(|c| c.level == "region")
            .map(|c| (c.key.as_str(), c.name.as_str()))
            .collect();
        districts.sort();
        districts.dedup();
        for (i, (code, name)) in districts.iter().enumerate() {
            let r = i as u32 + 1;
            let find = |id: &str| {
                report
                    .comparison
                    .iter()
                    .find(|c| c.key == *code && c.indicator == id)
            };
            s.text(r, 0, name, &f)?;
            let total = find("composite_score");
            s.number(r, 1, total.and_then(|c| c.value), &f.decimal, "100.0")?;
            s.number(
                r,
                2,
                total.and_then(|c| c.rank.map(f64::from)),
                &f.count,
                "8",
            )?;
            for (k, id) in HEADLINE.iter().enumerate() {
                let c = find(id);
                let fmt = c.map_or(&f.decimal, |c| f.for_unit(&c.unit));
                s.number(r, 3 + 2 * k, c.and_then(|c| c.value), fmt, "100.00%")?;
                s.number(
                    r,
                    4 + 2 * k,
                    c.and_then(|c| c.rank.map(f64::from)),
                    &f.count,
                    "8",
                )?;
            }
        }
        let below = districts.len() as u32 + 3;
        s.finish()?;
        let mut row = below;
        for (name, png) in charts {
            let image = Image::new_from_buffer(png)?
                .set_scale_to_size(900, 525, true)
                .set_alt_text(*name);
            wb.worksheet_from_name(SHEETS[1])?
                .insert_image(row, 0, &image)?;
            row += 28;
        }
    }

    // 趋势: headline indicators per district across the quarters.
    {
        let mut quarters: Vec<&str> = rows
            .iter()
            .map(|r| r.quarter.as_str())
            .filter(|q| *q <= report.quarter.as_str())
            .collect();
        quarters.sort();
        quarters.dedup();
        let mut s = Sheet {
            ws: wb.add_worksheet().set_name(SHEETS[2])?,
            widths: vec![],
        };
        let mut headers = vec!["指标".to_owned(), "区县".to_owned()];
        headers.extend(quarters.iter().map(|q| q.to_string()));
        s.header(&headers, &f)?;
        let mut r = 1;
        for id in HEADLINE {
            let name = report
                .indicators
                .iter()
                .find(|i| i.id == id)
                .map_or(id.to_owned(), |i| i.name.clone());
            let mut keys: Vec<(&str, &str, &str)> = rows
                .iter()
                .filter(|x| x.indicator == id)
                .map(|x| (x.level.as_str(), x.key.as_str(), x.name.as_str()))
                .collect();
            keys.sort_by_key(|k| (k.0 != "city", k.1));
            keys.dedup();
            for (level, k, kname) in keys {
                s.text(r, 0, &name, &f)?;
                s.text(
                    r,
                    1,
                    &if level == "city" {
                        format!("{kname}（全市）")
                    } else {
                        kname.to_owned()
                    },
                    &f,
                )?;
                for (j, q) in quarters.iter().enumerate() {
                    let x = rows
                        .iter()
                        .find(|x| x.quarter == *q && x.key == k && x.indicator == id);
                    let fmt = x.map_or(&f.decimal, |x| f.for_unit(&x.unit));
                    s.number(r, 2 + j, x.and_then(|x| x.value), fmt, "100.00%")?;
                }
                r += 1;
            }
        }
        s.finish()?;
    }

    let scope_filter = |df: &DataFrame| -> DataFrame {
        match &report.scope {
            Scope::District { code, .. } if df.column("region_code").is_ok() => df
                .clone()
                .lazy()
                .filter(col("region_code").eq(lit(code.as_str())))
                .collect()
                .unwrap_or_else(|_| df.clone()),
            _ => df.clone(),
        }
    };
    frame_sheet(&mut wb, SHEETS[3], lists.audit_summary, &f)?;
    frame_sheet(&mut wb, SHEETS[4], &scope_filter(lists.overdue), &f)?;
    frame_sheet(&mut wb, SHEETS[5], &scope_filter(lists.bad_ratings), &f)?;
    wb.save_to_buffer()
}

/// Chinese headers for the list columns.
fn chinese_header(name: &str) -> &str {
    match name {
        "quarter" => "季度",
        "kind" => "类型",
        "case_id" => "办件编号",
        "rating_id" => "评价编号",
        "region_code" => "行政区划代码",
        "department" => "部门",
        "matter_code" => "事项编码",
        "matter_name" => "事项名称",
        "accepted_at" => "受理时间",
        "completed_at" => "办结时间",
        "status" => "办件状态",
        "effective_promised_days" => "承诺时限",
        "time_unit" => "时限单位",
        "suspended_days" => "特别程序时长",
        "days_used" => "已用时长",
        "days_over" => "超出时限",
        "channel" => "评价渠道",
        "rated_at" => "评价时间",
        "real_name" => "是否实名",
        "rectified_at" => "整改时间",
        "working_days_to_rectify" => "整改用时（工作日）",
        "revisited_at" => "回访时间",
        "audit" => "核查项编号",
        "table" => "数据表",
        "count" => "条数",
        other => other,
    }
}

/// A DataFrame as a sheet: numbers as numbers, everything else as text.
fn frame_sheet(
    wb: &mut Workbook,
    name: &str,
    df: &DataFrame,
    f: &Formats,
) -> Result<(), XlsxError> {
    let mut s = Sheet {
        ws: wb.add_worksheet().set_name(name)?,
        widths: vec![],
    };
    let headers: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| chinese_header(n).to_owned())
        .collect();
    s.header(&headers, f)?;
    for (c, column) in df.columns().iter().enumerate() {
        let numeric = column.dtype().is_primitive_numeric();
        let text = match column.dtype() {
            // Timestamps as people write them, without milliseconds.
            DataType::Datetime(_, _) => column
                .as_materialized_series()
                .datetime()
                .ok()
                .and_then(|d| d.to_string("%Y-%m-%d %H:%M:%S").ok())
                .map(|s| s.into_series().into_column()),
            _ => column.cast(&DataType::String).ok(),
        };
        for r in 0..df.height() {
            let row = r as u32 + 1;
            if numeric {
                let v = column.get(r).ok().and_then(|v| v.extract::<f64>());
                if let Some(v) = v {
                    s.ws.write_number_with_format(row, c as u16, v, &f.text)?;
                    s.fit(c, &v.to_string());
                }
            } else if let Some(t) = text
                .as_ref()
                .and_then(|t| t.str().ok())
                .and_then(|t| t.get(r))
            {
                let shown = match t {
                    "true" => "是",
                    "false" => "否",
                    "completed" => "办结",
                    "in_progress" => "在办",
                    "workday" => "工作日",
                    "calendar" => "自然日",
                    "device" => "评价器",
                    "qr_code" => "二维码",
                    "sms" => "短信",
                    "web" => "网站",
                    "app" => "移动端",
                    "hotline" => "12345热线",
                    other => other,
                };
                s.text(row, c, shown, f)?;
            }
        }
    }
    s.finish()
}
