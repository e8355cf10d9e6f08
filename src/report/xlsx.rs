//! The report as an XLSX workbook (rust_xlsxwriter): sheets 指标汇总, 区县对比, 趋势, 图表,
//! 数据质量, 超期办件清单, 差评台账. Numbers stay numbers with Excel formats (0.00% for
//! rates); every sheet freezes its header row and name column, has an autofilter, and
//! prints on A4 landscape, fitted to the page width, header row repeated, page numbers
//! in the footer. 图表 holds native Excel charts (ranking and trend) over the data beside
//! them, so they stay editable. The two lists cover the report quarter, in people's words
//! (output::people). Opens in Excel and WPS.

use polars::prelude::*;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFont, ChartFormat, ChartLegendPosition, ChartLine,
    ChartLineDashType, ChartMarker, ChartPoint, ChartSolidFill, DocProperties, ExcelDateTime,
    Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::{Report, Scope};
use crate::charts::ChartData;
use crate::indicators::Level;
use crate::regions::Regions;
use crate::schema::Table;

pub const SHEETS: [&str; 9] = [
    "指标汇总",
    "区县对比",
    "趋势",
    "图表",
    "数据质量",
    "超期办件清单",
    "差评台账",
    WATCH_SHEETS[0],
    "红黑榜",
];

/// Tables the workbook lists (the two lists for the report quarter and scope).
pub struct Lists<'a> {
    pub audit_summary: &'a DataFrame,
    pub overdue: &'a DataFrame,
    pub bad_ratings: &'a DataFrame,
    /// 预警: the cases open at the as-of time.
    pub watch: &'a DataFrame,
    /// 红黑榜 of the report's scope, as people read it.
    pub boards: &'a DataFrame,
    pub regions: &'a Regions,
}

/// The font of the workbook and its charts.
const FONT: &str = "Microsoft YaHei";

struct Formats {
    header: Format,
    percent: Format,
    count: Format,
    decimal: Format,
    points: Format,
    percent_change: Format,
    text: Format,
    /// Long text (口径, 说明): wrapped in a column of [`WRAP_AT`] characters.
    wrap: Format,
}

/// Text wider than this (in Excel character units) wraps, so a sheet fitted to the page
/// width stays readable.
const WRAP_AT: f64 = 40.0;

impl Formats {
    fn new() -> Self {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(10)
            .set_align(FormatAlign::VerticalCenter);
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
            wrap: base.clone().set_text_wrap(),
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
    /// The last row written, for the autofilter.
    last_row: u32,
}

impl<'a> Sheet<'a> {
    fn new(ws: &'a mut Worksheet) -> Self {
        Sheet {
            ws,
            widths: vec![],
            last_row: 0,
        }
    }
    /// The header row, frozen with the first `name_columns` columns (the names).
    fn header(
        &mut self,
        headers: &[String],
        name_columns: u16,
        f: &Formats,
    ) -> Result<(), XlsxError> {
        for (c, h) in headers.iter().enumerate() {
            self.ws
                .write_string_with_format(0, c as u16, h, &f.header)?;
            self.fit(c, h);
        }
        self.ws.set_freeze_panes(1, name_columns)?;
        Ok(())
    }
    fn fit(&mut self, c: usize, text: &str) {
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 8.0);
        }
        self.widths[c] = self.widths[c].max(width(text)).min(WRAP_AT);
    }
    fn text(&mut self, r: u32, c: usize, s: &str, f: &Formats) -> Result<(), XlsxError> {
        if width(s) > WRAP_AT {
            self.ws.write_string_with_format(r, c as u16, s, &f.wrap)?;
            // Row heights are not fitted by every reader: set them for the wrapped lines.
            let lines = (width(s) / (WRAP_AT * 1.15)).ceil();
            self.ws.set_row_height(r, 13.5 * lines)?;
        } else {
            self.ws.write_string_with_format(r, c as u16, s, &f.text)?;
        }
        self.fit(c, s);
        self.last_row = self.last_row.max(r);
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
                self.ws.write_string_with_format(r, c as u16, "—", fmt)?;
            }
        }
        self.fit(c, shown);
        self.last_row = self.last_row.max(r);
        Ok(())
    }
    /// Column widths, the autofilter over the table, and the page setup.
    fn finish(self, title: &str) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            self.ws.set_column_width(c as u16, *w)?;
        }
        if !self.widths.is_empty() && self.last_row > 0 {
            self.ws
                .autofilter(0, 0, self.last_row, self.widths.len() as u16 - 1)?;
        }
        print_setup(self.ws, title)?;
        self.ws.set_repeat_rows(0, 0)?;
        Ok(())
    }
}

/// A4 landscape, fitted to the page width, the title in the page header and 第n页，共m页
/// in the footer (a table sheet also repeats its header row on every page).
fn print_setup(ws: &mut Worksheet, title: &str) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(format!("&C{}", title.replace('&', "&&")));
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Builds the workbook in memory.
pub fn render(report: &Report, lists: &Lists, charts: &ChartData) -> Result<Vec<u8>, XlsxError> {
    let rows = charts.rows;
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
    let title = report.title.as_str();

    // 指标汇总: the scope's indicators for the quarter.
    {
        let mut s = Sheet::new(wb.add_worksheet().set_name(SHEETS[0])?);
        let whole = format!("{}（合计口径）", report.scope.whole_word());
        let mean = format!("{}平均", report.scope.member_word());
        let headers = [
            "指标",
            "单位",
            "数值",
            whole.as_str(),
            mean.as_str(),
            "排名",
            "较上季度",
            "同比",
            "目标",
            "是否达标",
            "距目标",
            "口径",
        ];
        s.header(&headers.map(String::from), 1, &f)?;
        let mut r = 1;
        // The headline indicators first, in the report's order, then the rest.
        let headline = report.headline();
        let mut ordered: Vec<&crate::indicators::Indicator> = report.indicators.iter().collect();
        ordered.sort_by_key(|i| {
            headline
                .iter()
                .position(|h| *h == i.id)
                .unwrap_or(usize::MAX)
        });
        for ind in ordered {
            let Some(c) = report
                .comparison
                .iter()
                .find(|c| c.key == key && c.indicator == ind.id)
            else {
                continue;
            };
            if c.indicator == "composite_score" && !report.composite {
                continue;
            }
            let fmt = f.for_unit(&c.unit);
            let change_fmt = if c.is_rate {
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
                if c.level == Level::Region {
                    c.parent_value
                } else {
                    c.value
                },
                fmt,
                "100.00%",
            )?;
            // The plain mean of what the report compares: a city's districts, a
            // province's cities (a district's own report: its city's districts).
            let mean = match report.scope.members() {
                Some(level) => report
                    .comparison
                    .iter()
                    .find(|m| {
                        m.level == level
                            && m.indicator == c.indicator
                            && report.scope.contains(&m.key)
                    })
                    .and_then(|m| m.sibling_mean),
                None => c.sibling_mean,
            };
            s.number(r, 4, mean, fmt, "100.00%")?;
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
            let gap = match (c.met, c.to_target, &ind.success) {
                (Some(false), Some(n), Some(success)) => {
                    format!(
                        "还需{}",
                        success.replace("{n}", &crate::format::thousands(n as i64))
                    )
                }
                _ => "—".to_owned(),
            };
            s.text(r, 10, &gap, &f)?;
            s.text(r, 11, &ind.definition, &f)?;
            r += 1;
        }
        s.finish(title)?;
    }

    // 区县对比: districts (a province's: cities) × headline indicators, value and rank (ties
    // share a rank).
    {
        // A province's workbook compares cities: 各市对比.
        let name = match report.scope {
            Scope::Province { .. } => "各市对比",
            _ => SHEETS[1],
        };
        let mut s = Sheet::new(wb.add_worksheet().set_name(name)?);
        let mut headers = vec![report.scope.member_word().to_owned()];
        for ind in super::draft::headline(report.indicators) {
            headers.push(ind.name.clone());
            headers.push(format!("{}排名", ind.name));
        }
        if report.composite {
            headers.push("综合得分".to_owned());
            headers.push("综合排名".to_owned());
        }
        s.header(&headers, 1, &f)?;
        let members = crate::compare::members(report.comparison, &report.scope);
        for (i, (code, name)) in members.iter().enumerate() {
            let r = i as u32 + 1;
            let find = |id: &str| {
                report
                    .comparison
                    .iter()
                    .find(|c| c.key == *code && c.indicator == id)
            };
            s.text(r, 0, name, &f)?;
            let headline = report.headline();
            for (k, id) in headline.iter().enumerate() {
                let c = find(id);
                let fmt = c.map_or(&f.decimal, |c| f.for_unit(&c.unit));
                s.number(r, 1 + 2 * k, c.and_then(|c| c.value), fmt, "100.00%")?;
                s.number(
                    r,
                    2 + 2 * k,
                    c.and_then(|c| c.rank.map(f64::from)),
                    &f.count,
                    "8",
                )?;
            }
            if report.composite {
                let total = find("composite_score");
                let at = 1 + 2 * headline.len();
                s.number(r, at, total.and_then(|c| c.value), &f.decimal, "100.0")?;
                s.number(
                    r,
                    at + 1,
                    total.and_then(|c| c.rank.map(f64::from)),
                    &f.count,
                    "8",
                )?;
            }
        }
        s.finish(title)?;
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
        let mut s = Sheet::new(wb.add_worksheet().set_name(SHEETS[2])?);
        let mut headers = vec!["指标".to_owned(), report.scope.member_word().to_owned()];
        headers.extend(quarters.iter().map(|q| crate::format::quarter(q)));
        s.header(&headers, 2, &f)?;
        let mut r = 1;
        for ind in super::draft::headline(report.indicators) {
            let (id, name) = (ind.id.as_str(), ind.name.clone());
            let (member, area) = report.scope.compared();
            let whole = if member == Level::City {
                Level::Province
            } else {
                Level::City
            };
            let prefix = crate::regions::area_prefix(&area);
            let mut keys: Vec<(Level, &str, &str)> = rows
                .iter()
                .filter(|x| {
                    x.indicator == id
                        && (x.level == member || x.level == whole)
                        && x.key.starts_with(prefix)
                })
                .map(|x| (x.level, x.key.as_str(), x.name.as_str()))
                .collect();
            keys.sort_by_key(|k| (k.0 != whole, k.1));
            keys.dedup();
            for (level, k, kname) in keys {
                s.text(r, 0, &name, &f)?;
                s.text(
                    r,
                    1,
                    &if level == whole {
                        format!("{kname}（{}）", report.scope.whole_word())
                    } else {
                        kname.to_owned()
                    },
                    &f,
                )?;
                for (j, q) in quarters.iter().enumerate() {
                    let fmt = f.for_unit(&ind.unit);
                    s.number(r, 2 + j, charts.value(q, k, id), fmt, "100.00%")?;
                }
                r += 1;
            }
        }
        s.finish(title)?;
    }

    chart_sheet(&mut wb, charts, &report.charts_skipped, &f, title)?;

    // 数据质量: each finding by name, the table it is in, how many, and the rule.
    {
        let summary = lists.audit_summary;
        let mut s = Sheet::new(wb.add_worksheet().set_name(SHEETS[4])?);
        s.header(
            &["核查项", "数据表", "条数", "说明"].map(String::from),
            1,
            &f,
        )?;
        let text = |c: &str, r: usize| -> String {
            summary
                .column(c)
                .ok()
                .and_then(|c| c.get(r).ok())
                .map(|v| v.str_value().into_owned())
                .unwrap_or_default()
        };
        for r in 0..summary.height() {
            let row = r as u32 + 1;
            s.text(row, 0, &text("名称", r), &f)?;
            let table = Table::ALL
                .iter()
                .find(|t| t.name() == text("table", r))
                .map_or_else(|| text("table", r), |t| t.chinese().to_owned());
            s.text(row, 1, &table, &f)?;
            s.number(row, 2, text("count", r).parse().ok(), &f.count, "100000")?;
            s.text(row, 3, &text("说明", r), &f)?;
        }
        s.finish(title)?;
    }

    // The two lists: the report quarter, in the report's scope, as people read them.
    let in_scope = |df: &DataFrame| -> DataFrame {
        let mut lf = df.clone().lazy();
        if df.column("quarter").is_ok() {
            lf = lf.filter(col("quarter").eq(lit(report.quarter.as_str())));
        }
        if let Scope::District { code, .. } = &report.scope {
            if df.column("region_code").is_ok() {
                lf = lf.filter(col("region_code").eq(lit(code.as_str())));
            }
        }
        lf.collect().unwrap_or_else(|_| df.clone())
    };
    for (name, df, table, none) in [
        (SHEETS[5], lists.overdue, Table::Cases, "本季度无超期办件。"),
        (
            SHEETS[6],
            lists.bad_ratings,
            Table::Ratings,
            "本季度无差评。",
        ),
        (SHEETS[7], lists.watch, Table::Cases, "统计截止时无在办件。"),
    ] {
        let shown = crate::output::people::for_people(&in_scope(df), table, lists.regions)
            .map_err(|e| XlsxError::ParameterError(e.to_string()))?;
        frame_sheet(&mut wb, name, &shown, &f, title, none)?;
    }
    frame_sheet(
        &mut wb,
        SHEETS[8],
        lists.boards,
        &f,
        title,
        "本季度无可排名的部门。",
    )?;
    wb.save_to_buffer()
}

/// The workbook `pingjia watch` writes: 预警清单 (every open case, most urgent first) and
/// 预警统计 (cases per light by district, 乡镇/街道 and department), both as people read
/// them.
pub fn watch_workbook(
    list: &DataFrame,
    counts: &DataFrame,
    title: &str,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let f = Formats::new();
    frame_sheet(
        &mut wb,
        WATCH_SHEETS[0],
        list,
        &f,
        title,
        "统计截止时无在办件。",
    )?;
    frame_sheet(
        &mut wb,
        WATCH_SHEETS[1],
        counts,
        &f,
        title,
        "统计截止时无在办件。",
    )?;
    wb.save_to_buffer()
}

/// The sheets of the 预警 workbook (the first is also a sheet of the report's).
pub const WATCH_SHEETS: [&str; 2] = ["预警清单", "预警统计"];

/// 图表: for each indicator with charts (`chart:`), its ranking and trend as native Excel
/// charts, each beside the block of cells it draws. Ties share a rank as in 区县对比; a
/// ranking whose districts are all equal is left out with the sentence the report says.
fn chart_sheet(
    wb: &mut Workbook,
    data: &ChartData,
    skipped: &[(crate::charts::Figure, String)],
    f: &Formats,
    title: &str,
) -> Result<(), XlsxError> {
    let sheet = SHEETS[3];
    let ws = wb.add_worksheet().set_name(sheet)?;
    print_setup(ws, title)?;
    ws.set_column_width(0, 16)?;
    let font = ChartFont::new().set_name(FONT).clone();
    let title_font = ChartFont::new()
        .set_name(FONT)
        .set_size(12)
        .set_bold()
        .clone();
    let quarters = data.quarters();
    let mut r: u32 = 0;
    // The sheet holds each indicator's ranking and trend, as its file's `chart` lists.
    use crate::indicators::metadata::ChartKind;
    let mut charted = data.charted(ChartKind::Ranking);
    for t in data.charted(ChartKind::Trend) {
        if !charted.iter().any(|c| c.id == t.id) {
            charted.push(t);
        }
    }
    // Each indicator starts a printed page, so that no chart is cut by a page break.
    let mut breaks = Vec::new();
    for ind in charted {
        if r > 0 {
            breaks.push(r);
        }
        let id = ind.id.as_str();
        let name = crate::charts::short_name(ind);
        let unit = ind.unit.as_str();
        let fmt = f.for_unit(unit);
        let num_format = if ind.is_rate() { "0.00%" } else { "0.00" };

        if ind.charts.contains(&ChartKind::Ranking) {
            // Ranking: districts best first.
            let bars = data.ranked(id);
            let values: Vec<f64> = bars.iter().map(|b| b.2).collect();
            ws.write_string_with_format(
                r,
                0,
                crate::charts::ranking::heading(data, ind),
                &f.header,
            )?;
            ws.write_string_with_format(r, 1, "数值", &f.header)?;
            ws.write_string_with_format(r, 2, "名次", &f.header)?;
            for (i, (code, district, v)) in bars.iter().enumerate() {
                let row = r + 1 + i as u32;
                ws.write_string_with_format(row, 0, *district, &f.text)?;
                ws.write_number_with_format(row, 1, *v, fmt)?;
                if let Some(rank) = data.comparison(code, id).and_then(|c| c.rank) {
                    ws.write_number_with_format(row, 2, rank as f64, &f.count)?;
                }
            }
            let band = (bars.len() as u32 + 2).max(18);
            // A ranking the chart stage left out is left out here too, with its sentence.
            let figure = crate::charts::Figure::Ranking(ind.id.clone());
            if let Some((_, why)) = skipped.iter().find(|(s, _)| *s == figure) {
                ws.write_string_with_format(r, 4, why, &f.text)?;
            } else if !bars.is_empty() {
                let axis = crate::charts::value_axis(&values, unit);
                let last = r + bars.len() as u32;
                let mut chart = Chart::new_bar();
                let mut points = Vec::new();
                for (code, _, _) in &bars {
                    let colour = if data.highlight.as_deref() == Some(*code) {
                        "#ED7D31"
                    } else {
                        "#1F4E79"
                    };
                    points.push(
                        ChartPoint::new()
                            .set_format(
                                ChartFormat::new()
                                    .set_solid_fill(ChartSolidFill::new().set_color(colour)),
                            )
                            .clone(),
                    );
                }
                chart
                    .add_series()
                    .set_categories((sheet, r + 1, 0, last, 0))
                    .set_values((sheet, r + 1, 1, last, 1))
                    .set_name(name.as_str())
                    .set_points(&points)
                    .set_data_label(
                        ChartDataLabel::new()
                            .show_value()
                            .set_num_format(num_format)
                            .set_font(&font),
                    )
                    .set_gap(60);
                let mut chart_title = format!(
                    "{}各{}{name}排名",
                    crate::format::quarter(&data.quarter),
                    data.member_word
                );
                if axis.zoomed {
                    chart_title.push_str(&format!(
                        "（横轴自{}起）",
                        crate::charts::tick(axis.lo, unit)
                    ));
                }
                chart.title().set_name(&chart_title).set_font(&title_font);
                chart.legend().set_hidden();
                // Best at the top, as in the report's chart.
                chart.y_axis().set_reverse().set_font(&font);
                chart
                    .x_axis()
                    .set_min(axis.lo)
                    .set_max(axis.hi)
                    .set_num_format(if ind.is_rate() { "0%" } else { "0" })
                    .set_font(&font);
                chart.set_width(620).set_height(340);
                ws.insert_chart(r, 4, &chart)?;
            }
            r += band;
        }

        if ind.charts.contains(&ChartKind::Trend) {
            // Trend: the quarters down, the city then the districts across.
            ws.write_string_with_format(r, 0, "季度", &f.header)?;
            let mut columns: Vec<(&str, String)> = vec![(
                data.parent.0.as_str(),
                format!("{}（{}）", data.parent.1, data.whole_word),
            )];
            columns.extend(data.members.iter().map(|(c, n)| (c.as_str(), n.clone())));
            for (j, (_, n)) in columns.iter().enumerate() {
                ws.write_string_with_format(r, 1 + j as u16, n, &f.header)?;
            }
            let mut all = Vec::new();
            for (i, q) in quarters.iter().enumerate() {
                let row = r + 1 + i as u32;
                ws.write_string_with_format(row, 0, crate::format::quarter(q), &f.text)?;
                for (j, (code, _)) in columns.iter().enumerate() {
                    if let Some(v) = data.value(q, code, id) {
                        ws.write_number_with_format(row, 1 + j as u16, v, fmt)?;
                        all.push(v);
                    }
                }
            }
            if !quarters.is_empty() && !crate::charts::flat(&all) {
                let axis = crate::charts::value_axis(&all, unit);
                let last = r + quarters.len() as u32;
                let mut chart = Chart::new_line();
                for (j, (code, n)) in columns.iter().enumerate() {
                    let c = 1 + j as u16;
                    let is_city = j == 0;
                    let emphasised = data.highlight.as_deref() == Some(*code);
                    let line = match (is_city, emphasised, data.highlight.is_some()) {
                        (true, _, _) => ChartLine::new()
                            .set_color("#262626")
                            .set_width(2.25)
                            .set_dash_type(ChartLineDashType::Dash)
                            .clone(),
                        (false, true, _) => {
                            ChartLine::new().set_color("#ED7D31").set_width(3).clone()
                        }
                        (false, false, true) => {
                            ChartLine::new().set_color("#D9D9D9").set_width(1.5).clone()
                        }
                        (false, false, false) => ChartLine::new().set_width(1.5).clone(),
                    };
                    chart
                        .add_series()
                        .set_categories((sheet, r + 1, 0, last, 0))
                        .set_values((sheet, r + 1, c, last, c))
                        .set_name(n.as_str())
                        .set_format(ChartFormat::new().set_line(&line))
                        .set_marker(ChartMarker::new().set_automatic());
                }
                let mut chart_title = format!("{}各{}{name}走势", data.parent.1, data.member_word);
                if axis.zoomed {
                    chart_title.push_str(&format!(
                        "（纵轴自{}起）",
                        crate::charts::tick(axis.lo, unit)
                    ));
                }
                chart.title().set_name(&chart_title).set_font(&title_font);
                chart
                    .legend()
                    .set_position(ChartLegendPosition::Right)
                    .set_font(&font);
                chart
                    .y_axis()
                    .set_min(axis.lo)
                    .set_max(axis.hi)
                    .set_num_format(if ind.is_rate() { "0.0%" } else { "0" })
                    .set_font(&font);
                chart.x_axis().set_font(&font);
                chart.set_width(620).set_height(340);
                ws.insert_chart(r, 4 + columns.len() as u16, &chart)?;
            }
            r += (quarters.len() as u32 + 2).max(18);
        }
    }
    ws.set_page_breaks(&breaks)?;
    Ok(())
}

/// A list as a sheet: numbers as numbers, everything else as text.
fn frame_sheet(
    wb: &mut Workbook,
    name: &str,
    df: &DataFrame,
    f: &Formats,
    title: &str,
    none: &str,
) -> Result<(), XlsxError> {
    let mut s = Sheet::new(wb.add_worksheet().set_name(name)?);
    let headers: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    // Frozen up to the first name column (区县), or the first column.
    let names = headers
        .iter()
        .position(|h| h == "区县" || h == "市")
        .map_or(1, |i| i as u16 + 1);
    s.header(&headers, names, f)?;
    for (c, column) in df.columns().iter().enumerate() {
        let numeric = column.dtype().is_primitive_numeric();
        let text = column.cast(&DataType::String).ok();
        for r in 0..df.height() {
            let row = r as u32 + 1;
            if numeric {
                let v = column.get(r).ok().and_then(|v| v.extract::<f64>());
                if let Some(v) = v {
                    s.number(row, c, Some(v), &f.text, &crate::format::trimmed(v))?;
                }
            } else if let Some(t) = text
                .as_ref()
                .and_then(|t| t.str().ok())
                .and_then(|t| t.get(r))
            {
                s.text(row, c, t, f)?;
            }
        }
    }
    if df.height() == 0 {
        s.text(1, 0, none, f)?;
    }
    s.finish(title)
}
