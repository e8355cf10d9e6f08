//! `pingjia report DATA --out DIR [--region CODE]`: the whole pipeline, ending in the
//! report files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use polars::prelude::*;

use super::compare::{Compared, Source};
use crate::audit::{self, AuditRules, Peers};
use crate::charts::{self, Theme};
use crate::cli::{ReportArgs, ReportFormat};
use crate::error::{Error, PolarsContext, Result};
use crate::format;
use crate::output;
use crate::report::{self, Chart, Report, Scope};
use crate::schema::Table;

pub fn run(args: &ReportArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let out = &args.compare.out;
    let bar = output::progress::bar(5, "报告 report");
    bar.set_message("读取、计算指标 ingest · indicators");
    let mut c = super::compare::compute(&args.compare)?;
    bar.inc(1);
    if args.all_cities && args.region.is_some() {
        return Err(Error::Usage(
            "give --region CODE for one report or --all-cities for every city's, not both".into(),
        ));
    }
    let top = super::charts::scope_of(&c, args.region.as_deref())?;
    let mut scopes = vec![(top, out.clone())];
    if args.all_cities {
        for code in c.cities() {
            let name = c
                .plan
                .settings
                .regions
                .name(&code)
                .unwrap_or(&code)
                .to_owned();
            let dir = out.join(&name);
            scopes.push((Scope::City { code, name }, dir));
        }
    }
    bar.set_length(1 + 4 * scopes.len() as u64);

    bar.set_message("数据质量核查 audits");
    // From a precomputed indicator table there are no rows to audit or list.
    let lists = match c.source.whole() {
        Some(p) => {
            let open_now = open_now(p, &c)?;
            let province = scopes
                .iter()
                .any(|(s, _)| matches!(s, Scope::Province { .. }));
            let rules = |peers| AuditRules {
                peers,
                ..AuditRules::default()
            };
            Some(Whole {
                findings: audit::run(&p.ingested, &p.enriched, &rules(Peers::City))?,
                province_findings: if province {
                    Some(audit::run(
                        &p.ingested,
                        &p.enriched,
                        &rules(Peers::Province),
                    )?)
                } else {
                    None
                },
                overdue: audit::overdue_cases(&p.enriched)?,
                ledger: audit::bad_rating_ledger(&p.enriched, &p.rules)?,
                open_now,
            })
        }
        None => None,
    };

    // Each report in the quarter of its own scope: a city whose exports stop a quarter
    // early gets its own latest quarter, not an empty one.
    let latest = c.quarter.clone();
    let mut written: Vec<PathBuf> = Vec::new();
    let mut titles = Vec::new();
    let mut charts_drawn = 0;
    for (scope, dir) in &scopes {
        let quarter = match (&args.compare.quarter, scope) {
            (Some(q), _) => q.clone(),
            (None, Scope::Province { .. }) => latest.clone(),
            (None, _) => c
                .quarters_of(scope.code())
                .into_iter()
                .rfind(|q| *q <= latest)
                .unwrap_or_else(|| latest.clone()),
        };
        // Cities with no cases in the quarter are ranked in no report of it; the
        // province's names them.
        let missing = missing_members(&c, scope, &quarter);
        let unranked: Vec<String> = missing.iter().map(|m| m.0.clone()).collect();
        c.focus(&quarter, &unranked);
        let named = match scope {
            Scope::Province { .. } => missing.as_slice(),
            _ => &[],
        };
        let (title, files, drawn) = write_scope(args, &c, scope, dir, lists.as_ref(), named, &bar)?;
        titles.push(title);
        written.extend(files);
        charts_drawn += drawn;
    }
    bar.finish_and_clear();

    let (rows, quarantined) = match c.source.summary() {
        Some(s) => (
            Table::ALL
                .iter()
                .map(|t| s.tables[t.name()].rows_read)
                .sum(),
            Table::ALL
                .iter()
                .map(|t| s.tables[t.name()].quarantined)
                .sum(),
        ),
        None => (0usize, 0usize),
    };
    eprintln!(
        "{}：读取 {} 行（隔离 {} 行），{} 个图表，写出 {} 个文件，用时 {:.1} 秒",
        titles.join("、"),
        format::thousands(rows as i64),
        quarantined,
        charts_drawn,
        written.len() + 2 * charts_drawn,
        started.elapsed().as_secs_f64()
    );
    for w in written.iter().filter(|w| {
        w.extension()
            .is_some_and(|e| e == "html" || e == "md" || e == "xlsx" || e == "docx")
    }) {
        eprintln!("wrote {}", w.display());
    }
    Ok(())
}

/// 预警 at the as-of time: every case open then with its light (None when the data give
/// no as-of time).
pub(crate) fn open_now(p: &super::Prepared, c: &Compared) -> Result<Option<DataFrame>> {
    let Some(as_of) = p.enriched.as_of else {
        return Ok(None);
    };
    let cases = p.enriched.view("accepted_cases").expect("view");
    Ok(Some(crate::watch::lights(
        &crate::watch::candidates(cases, Some(as_of))?,
        as_of,
        &c.plan.settings.calendar,
        p.rules.warning,
    )?))
}

/// The lists of the data read whole, for every report of the run to take its part of.
struct Whole {
    /// Audit findings, a matter's legal days compared within its city…
    findings: Vec<audit::Finding>,
    /// …and within its province, for a province's report.
    province_findings: Option<Vec<audit::Finding>>,
    overdue: DataFrame,
    ledger: DataFrame,
    /// 预警 at the as-of time, when the data give one.
    open_now: Option<DataFrame>,
}

/// Writes the report of one scope into `out`: its title, the files written and the
/// number of charts drawn.
fn write_scope(
    args: &ReportArgs,
    c: &Compared,
    scope: &Scope,
    out: &std::path::Path,
    whole: Option<&Whole>,
    missing: &[(String, String, Option<String>)],
    bar: &indicatif::ProgressBar,
) -> Result<(String, Vec<PathBuf>, usize)> {
    let district = matches!(scope, Scope::District { .. });
    let own = |df: &DataFrame| super::watch::within(df.clone(), scope.code());
    // A report counts and lists its own findings (peers were compared already).
    let (findings, overdue, ledger, open_now) = match whole {
        Some(w) => {
            let findings = match (scope, &w.province_findings) {
                (Scope::Province { .. }, Some(f)) => f.clone(),
                _ => w.findings.clone(),
            };
            (
                audit::within(findings, scope.code())?,
                Some(own(&w.overdue)?),
                Some(own(&w.ledger)?),
                w.open_now.as_ref().map(&own).transpose()?,
            )
        }
        None => (vec![], None, None, None),
    };
    bar.inc(1);

    bar.set_message("图表 charts");
    let data = super::charts::chart_data(c, scope);
    let chart_files = charts::render_all(&data, &out.join("charts"), Theme::for_dpi(args.dpi))?;
    bar.inc(1);

    bar.set_message("表格 tables");
    let mut written: Vec<PathBuf> = Vec::new();
    let tables = out.join("tables");
    // The indicator table compare already computed: no second pass over the data.
    let summary = match c.source.whole() {
        Some(p) => Some(audit::summary(&findings, &p.ingested)?),
        None => None,
    };
    let comparison = crate::compare::to_frame(&c.comparison)?;
    // The two lists as people read them (Chinese headers and values, names by codes).
    let people = |df: Option<&DataFrame>, table: Table| {
        df.map(|df| output::people::for_people(df, table, &c.plan.settings.regions))
            .transpose()
    };
    let overdue_shown = people(overdue.as_ref(), Table::Cases)?;
    let ledger_shown = people(ledger.as_ref(), Table::Ratings)?;
    let watch_shown = people(open_now.as_ref(), Table::Cases)?;
    // A report's tables hold its area: a city's (a district's city's), or the province's
    // — a city's report of a province run does not carry every other city's rows.
    let area = crate::regions::area_prefix(&scope.compared().1).to_owned();
    let of_area = |df: &DataFrame| -> Result<DataFrame> {
        df.clone()
            .lazy()
            .filter(col("key").str().starts_with(lit(area.as_str())))
            .collect()
            .context("the report's tables")
    };
    let (table, comparison) = (of_area(&c.table)?, of_area(&comparison)?);
    let own_boards: Vec<crate::compare::boards::Entry> = c
        .boards
        .iter()
        .filter(|e| e.within_key.starts_with(area.as_str()))
        .cloned()
        .collect();
    let boards = crate::compare::boards::to_frame(
        &own_boards,
        &c.plan.indicators,
        &c.plan.settings.regions,
    )?;
    for (stem, df) in [
        ("indicators", Some(&table)),
        ("comparison", Some(&comparison)),
        ("boards", Some(&boards)),
        ("audit_summary", summary.as_ref()),
        ("overdue_cases", overdue_shown.as_ref()),
        ("bad_ratings", ledger_shown.as_ref()),
        ("watch", watch_shown.as_ref()),
    ] {
        if let Some(df) = df {
            written.extend(output::write_table(&tables, stem, &mut df.clone())?);
        }
    }
    for f in &findings {
        let path = tables.join("audits").join(format!("{}.csv", f.id));
        output::write_csv(&path, &mut f.rows.clone())?;
    }
    bar.inc(1);

    bar.set_message("报告 report");
    let q = format::quarter(&c.quarter);
    let title = match scope {
        Scope::Province { name, .. } => format!("{name}{q}政务服务评估各市对比报告"),
        Scope::City { name, .. } => format!("{name}{q}政务服务评估区县对比报告"),
        Scope::District { name, .. } => {
            format!("{name}行政审批服务局关于{q}政务服务评估工作的自查报告")
        }
    };
    // A district draft ranks by a composite score only from a scheme the user gave.
    let composite = args.compare.scheme.is_some() || !district;
    let charts: Vec<Chart> = chart_files
        .charts
        .iter()
        .filter(|ch| composite || ch.figure != charts::Figure::Heatmap)
        .cloned()
        .collect();
    let in_scope = |df: &DataFrame| -> Result<DataFrame> {
        df.clone()
            .lazy()
            .filter(col("quarter").eq(lit(c.quarter.as_str())))
            .collect()
            .context("report lists")
    };
    // The 红黑榜 are ranked within a city and within a district: a province's report shows
    // every city's.
    let (within, within_keys): (crate::indicators::Level, Vec<String>) = match scope {
        Scope::Province { .. } => (
            crate::indicators::Level::City,
            c.cities()
                .into_iter()
                .filter(|k| scope.contains(k) && !missing.iter().any(|m| m.0 == *k))
                .collect(),
        ),
        Scope::City { code, .. } => (crate::indicators::Level::City, vec![code.clone()]),
        Scope::District { code, .. } => (crate::indicators::Level::Region, vec![code.clone()]),
    };
    let board_sheet = board_sheet(c, within, &within_keys)?;
    let mut board_headers = Vec::new();
    let mut board_rows = Vec::new();
    for key in &within_keys {
        let (headers, rows) = crate::compare::boards::report_table(
            &c.boards,
            &c.plan.indicators,
            within,
            key,
            &c.board_rules,
            &c.plan.settings.regions,
        );
        board_headers = headers;
        board_rows.extend(rows);
    }
    let mut summaries = vec![(
        format!(
            "红黑榜（{}内各部门{}按主要指标排名，红榜、黑榜各取前、后{}名，参与排名不足{}个时各取一半；办件不足{}件、评价（差评整改率为到期差评）不足{}条的不排名）",
            if matches!(scope, Scope::Province { .. }) {
                "各市".to_owned()
            } else {
                scope.name().to_owned()
            },
            if board_rows.iter().any(|r| r[1] != "部门") {
                "及乡镇（街道）"
            } else {
                ""
            },
            c.board_rules.size,
            c.board_rules.size * 2,
            c.board_rules.min_cases,
            c.board_rules.min_ratings
        ),
        board_headers,
        if board_rows.is_empty() {
            vec![vec!["本季度无可排名的部门".to_owned()]]
        } else {
            board_rows
        },
    )];
    let by_city = matches!(scope, Scope::Province { .. });
    let regions = &c.plan.settings.regions;
    summaries.extend(match (&overdue, &ledger) {
        (Some(overdue), Some(ledger)) => vec![
            summary_by_region(
                &in_scope(overdue)?,
                "超期办件（逾期办结与季度末超期未办结）",
                "kind",
                &[],
                regions,
                by_city,
            )?,
            summary_by_region(
                &in_scope(ledger)?,
                "差评台账（整改情况）",
                "整改状态",
                &[],
                regions,
                by_city,
            )?,
        ],
        _ => vec![],
    });
    if let (Some(open_now), Some(as_of)) = (&open_now, c.as_of) {
        summaries.push(summary_by_region(
            open_now,
            &format!(
                "预警：统计截止时（{}）的在办件",
                crate::output::run::timestamp_text(as_of)
            ),
            "light",
            &crate::watch::LIGHTS,
            regions,
            by_city,
        )?);
    }
    let missing: Vec<(String, Option<String>)> = missing
        .iter()
        .map(|(_, name, last)| (name.clone(), last.clone()))
        .collect();
    let settings = printed_settings(c, composite, scope);
    let report = Report {
        title: title.clone(),
        sections: report::draft::sections(&report::draft::Facts {
            scope,
            quarter: &c.quarter,
            comparison: &c.comparison,
            rows: &c.rows,
            indicators: &c.plan.indicators,
            catalogue: &c.catalogue,
            findings: c.source.whole().is_some().then_some(findings.as_slice()),
            quality: &c
                .source
                .summary()
                .map(report::quality_sentences)
                .unwrap_or_default(),
            user_scheme: args.compare.scheme.is_some(),
            regions,
            missing: &missing,
        }),
        issuer: match scope {
            Scope::Province { name, .. } => format!("{name}【待补充：发文单位】"),
            other => format!("{}行政审批服务局", other.name()),
        },
        date: c
            .as_of
            .map(|ms| {
                let d = crate::time::civil_from_days(ms.div_euclid(86_400_000) as i32);
                use chrono::Datelike;
                format!("{}年{}月{}日", d.year(), d.month(), d.day())
            })
            .unwrap_or_else(|| "【待补充】年　月　日".to_owned()),
        scope: scope.clone(),
        quarter: c.quarter.clone(),
        comparison: &c.comparison,
        indicators: &c.plan.indicators,
        charts,
        charts_skipped: chart_files.skipped.clone(),
        composite,
        user_scheme: args.compare.scheme.is_some(),
        findings: &findings,
        settings,
        summaries,
        missing,
    };
    let lists = Lists {
        summary: summary.as_ref(),
        overdue: overdue.as_ref(),
        ledger: ledger.as_ref(),
        watch: open_now.as_ref(),
        boards: &board_sheet,
    };
    for fmt in &args.format {
        if *fmt == ReportFormat::Dashboard {
            // The dashboard shows the whole the scope compares in (a district's city), so
            // it takes the findings and 预警 of that whole, not the scope's own.
            let area = scope.compared().1;
            let lists = match whole {
                Some(w) => Some(super::dashboard::Lists {
                    findings: audit::within(
                        match (scope, &w.province_findings) {
                            (Scope::Province { .. }, Some(f)) => f.clone(),
                            _ => w.findings.clone(),
                        },
                        &area,
                    )?,
                    open_now: w
                        .open_now
                        .as_ref()
                        .map(|df| super::watch::within(df.clone(), &area))
                        .transpose()?,
                }),
                None => None,
            };
            written.push(super::dashboard::write(c, scope, lists.as_ref(), out)?);
            continue;
        }
        written.push(write_format(*fmt, &report, c, &data, &lists, out)?);
    }
    bar.inc(1);
    Ok((title, written, chart_files.charts.len()))
}

/// The cities of the scope's province with cases in other quarters but none in
/// `quarter`: code, name, and the last quarter before it they have.
pub(crate) fn missing_members(
    c: &Compared,
    scope: &Scope,
    quarter: &str,
) -> Vec<(String, String, Option<String>)> {
    let province = crate::regions::province_of(scope.code());
    c.cities()
        .into_iter()
        .filter(|city| crate::regions::province_of(city) == province)
        .filter_map(|city| {
            let quarters = c.quarters_of(&city);
            if quarters.iter().any(|q| q == quarter) {
                return None;
            }
            let name = c
                .plan
                .settings
                .regions
                .name(&city)
                .unwrap_or(&city)
                .to_owned();
            let last = quarters.into_iter().rfind(|q| q.as_str() < quarter);
            Some((city, name, last))
        })
        .collect()
}

/// The lists a workbook carries, when the data was read whole.
struct Lists<'a> {
    summary: Option<&'a DataFrame>,
    overdue: Option<&'a DataFrame>,
    ledger: Option<&'a DataFrame>,
    watch: Option<&'a DataFrame>,
    boards: &'a DataFrame,
}

/// The 红榜 and 黑榜 of the report's scope as people read them (the workbook's 红黑榜).
fn board_sheet(
    c: &Compared,
    within: crate::indicators::Level,
    within_keys: &[String],
) -> Result<DataFrame> {
    use crate::compare::boards::Board;
    let mine: Vec<crate::compare::boards::Entry> = c
        .boards
        .iter()
        .filter(|e| {
            e.within == within
                && within_keys.contains(&e.within_key)
                && matches!(e.board, Board::Red | Board::Black)
        })
        .cloned()
        .collect();
    let df = crate::compare::boards::to_frame(&mine, &c.plan.indicators, &c.plan.settings.regions)?;
    let level = df
        .column("level")
        .context("红黑榜")?
        .str()
        .context("红黑榜")?;
    let levels: StringChunked = level
        .iter()
        .map(|l| {
            l.map(|l| match l {
                "department" => "部门",
                "matter" => "事项",
                "township" => "乡镇（街道）",
                other => other,
            })
        })
        .collect();
    let value = df
        .column("value")
        .context("红黑榜")?
        .f64()
        .context("红黑榜")?;
    let shown: StringChunked = value
        .iter()
        .map(|v| v.map(crate::format::percent))
        .collect();
    DataFrame::new(
        df.height(),
        vec![
            df.column("indicator_name")
                .context("红黑榜")?
                .clone()
                .with_name("指标".into()),
            levels.into_column().with_name("层级".into()),
            df.column("board")
                .context("红黑榜")?
                .clone()
                .with_name("榜单".into()),
            df.column("rank")
                .context("红黑榜")?
                .clone()
                .with_name("名次".into()),
            df.column("ranked")
                .context("红黑榜")?
                .clone()
                .with_name("参与排名数".into()),
            df.column("name")
                .context("红黑榜")?
                .clone()
                .with_name("名称".into()),
            shown.into_column().with_name("指标值".into()),
            df.column("numerator")
                .context("红黑榜")?
                .clone()
                .with_name("分子".into()),
            df.column("denominator")
                .context("红黑榜")?
                .clone()
                .with_name("分母".into()),
        ],
    )
    .context("红黑榜")
}

/// Writes the report in one format; returns the file written.
fn write_format(
    fmt: ReportFormat,
    report: &Report,
    c: &Compared,
    data: &charts::ChartData<'_>,
    lists: &Lists<'_>,
    out: &std::path::Path,
) -> Result<PathBuf> {
    let (indicators, regions) = (&c.plan.indicators, &c.plan.settings.regions);
    Ok(match fmt {
        ReportFormat::Md => {
            let path = out.join("report.md");
            let text = report::markdown::render(report, "charts");
            output::write_atomic(&path, |f| std::io::Write::write_all(f, text.as_bytes()))?;
            path
        }
        ReportFormat::Xlsx => {
            let empty = DataFrame::empty();
            let lists = report::xlsx::Lists {
                audit_summary: lists.summary.unwrap_or(&empty),
                overdue: lists.overdue.unwrap_or(&empty),
                bad_ratings: lists.ledger.unwrap_or(&empty),
                watch: lists.watch.unwrap_or(&empty),
                boards: lists.boards,
                regions,
            };
            let bytes = report::xlsx::render(report, &lists, data)
                .map_err(|e| Error::Usage(format!("writing the workbook: {e}")))?;
            let path = out.join("report.xlsx");
            output::write_atomic(&path, |f| std::io::Write::write_all(f, &bytes))?;
            path
        }
        ReportFormat::Docx => {
            let charts: Vec<(String, Vec<u8>, u32, u32)> = report
                .charts
                .iter()
                .filter(|ch| ch.figure.in_draft(indicators, report.user_scheme))
                .map(|ch| {
                    let bytes = std::fs::read(&ch.png).map_err(|e| Error::io(&ch.png, e))?;
                    let (w, h) = png_size(&bytes);
                    Ok((ch.title.clone(), bytes, w, h))
                })
                .collect::<Result<_>>()?;
            let bytes = report::docx::render(report, &charts)
                .map_err(|e| Error::Usage(format!("writing the DOCX draft: {e}")))?;
            let name = match &report.scope {
                Scope::Province { .. } | Scope::City { .. } => "report.docx".to_owned(),
                Scope::District { code, .. } => {
                    format!("自查报告-{code}-{}.docx", report.quarter)
                }
            };
            let path = out.join(name);
            output::write_atomic(&path, |f| std::io::Write::write_all(f, &bytes))?;
            path
        }
        ReportFormat::Dashboard => unreachable!("written by write_scope"),
        ReportFormat::Html => {
            let svgs: Vec<(String, String)> = report
                .charts
                .iter()
                .map(|ch| {
                    std::fs::read_to_string(&ch.svg)
                        .map(|t| (ch.title.clone(), t))
                        .map_err(|e| Error::io(&ch.svg, e))
                })
                .collect::<Result<_>>()?;
            let path = out.join("report.html");
            let text = report::html::render(report, &svgs);
            output::write_atomic(&path, |f| std::io::Write::write_all(f, text.as_bytes()))?;
            path
        }
    })
}

/// The settings a report prints with its results: the quarter, the as-of time, the rules
/// and where each comes from, and where the figures came from.
pub(crate) fn printed_settings(
    c: &Compared,
    composite: bool,
    scope: &Scope,
) -> Vec<(String, String)> {
    let rules = &c.plan.rules;
    let mut settings = vec![
        ("季度".to_owned(), format::quarter(&c.quarter)),
        (
            "统计截止时间".to_owned(),
            c.as_of
                .map(crate::output::run::timestamp_text)
                .unwrap_or_else(|| "（预先计算的指标表，未注明）".to_owned()),
        ),
        (
            "差评整改期限".to_owned(),
            format!(
                "{}个工作日（{}）",
                rules.rectification_days,
                c.scheme.basis.get("rectification_days").map_or(
                    "国家规定差评须整改，未规定天数；此处按本地规定设置，可用 --rectification-days 调整",
                    String::as_str
                )
            ),
        ),
        (
            "预警".to_owned(),
            format!(
                "{}（--warn-days、--warn-share 可调整）",
                c.plan.rules.warning.describe()
            ),
        ),
        (
            "默认评价".to_owned(),
            if rules.count_default_ratings {
                "系统默认评价计入评价满意率和好评率（--count-default-ratings）"
            } else {
                "系统默认评价不计入评价满意率和好评率（非本人意见）；差评率、评价量仍含默认评价"
            }
            .to_owned(),
        ),
        (
            "目标值".to_owned(),
            c.scheme.basis.get("targets").cloned().unwrap_or_else(|| {
                "各指标文件的默认目标（评分方案 [targets] 可改为本地考核目标）".to_owned()
            }),
        ),
        ("工作日历".to_owned(), format!("国务院办公厅节假日安排 {}–{} 年", c.plan.settings.calendar.known_years().start(), c.plan.settings.calendar.known_years().end())),
        ("网上办理深度映射".to_owned(), "国家事项库多选代码：含5/6/7→四级，否则含4→三级，否则含2或3→二级，否则含1→一级".to_owned()),
        ("依申请事项".to_owned(), "事项类型为行政许可、行政给付、行政确认、行政奖励、行政裁决、其他行政权力（未填写事项类型的按依申请计）".to_owned()),
        ("城市值".to_owned(), "各区县分子之和÷分母之和（合计口径），区县平均值另列".to_owned()),
    ];
    if let Scope::Province { .. } = scope {
        settings.push((
            "全省值".to_owned(),
            "各市分子之和÷分母之和（合计口径），各市平均值另列；各市只与本省各市排名，各区县只与本市各区县排名".to_owned(),
        ));
    }
    if composite {
        settings.push(("综合评分方案".to_owned(), c.scheme.name.clone()));
    }
    match &c.source {
        Source::Whole(_) => {}
        Source::Streamed(_) => settings.push((
            "数据来源".to_owned(),
            "明细数据逐块流式计算（--streaming），未做数据质量核查；数据质量核查请另行运行 pingjia audit".to_owned(),
        )),
        Source::Precomputed(path) => settings.push((
            "数据来源".to_owned(),
            format!(
                "预先计算的指标表 {}（未读取明细数据，未做数据质量核查）",
                path.display()
            ),
        )),
    }
    settings
}

/// Width and height of a PNG from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if bytes.len() >= 24 {
        (be(&bytes[16..20]), be(&bytes[20..24]))
    } else {
        (1200, 700)
    }
}

/// Counts per district (per city, `by_city`) of the values of `column`: heading,
/// headers, rows.
fn summary_by_region(
    df: &DataFrame,
    heading: &str,
    column: &str,
    order: &[&str],
    regions: &crate::regions::Regions,
    by_city: bool,
) -> Result<(String, Vec<String>, Vec<Vec<String>>)> {
    let codes = df
        .column("region_code")
        .context("summary")?
        .str()
        .context("summary")?
        .clone();
    let kinds = df
        .column(column)
        .context("summary")?
        .str()
        .context("summary")?
        .clone();
    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut all_kinds: Vec<String> = Vec::new();
    for (code, kind) in codes.iter().zip(kinds.iter()) {
        let (Some(code), Some(kind)) = (code, kind) else {
            continue;
        };
        let code = if by_city {
            crate::regions::city_of(code)
        } else {
            code.to_owned()
        };
        *counts
            .entry(code)
            .or_default()
            .entry(kind.to_owned())
            .or_default() += 1;
        if !all_kinds.iter().any(|k| k == kind) {
            all_kinds.push(kind.to_owned());
        }
    }
    // In the given order (红 黄 绿), the rest after it by name.
    all_kinds.sort_by_key(|k| {
        (
            order.iter().position(|o| o == k).unwrap_or(order.len()),
            k.clone(),
        )
    });
    let mut headers = vec![if by_city { "市" } else { "区县" }.to_owned()];
    headers.extend(all_kinds.iter().cloned());
    headers.push("合计".into());
    let rows = counts
        .iter()
        .map(|(code, by_kind)| {
            let mut r = vec![regions.name(code).unwrap_or(code).to_owned()];
            r.extend(
                all_kinds
                    .iter()
                    .map(|k| by_kind.get(k).copied().unwrap_or(0).to_string()),
            );
            r.push(by_kind.values().sum::<usize>().to_string());
            r
        })
        .collect::<Vec<_>>();
    let rows = if rows.is_empty() {
        vec![vec!["本季度无".to_owned()]]
    } else {
        rows
    };
    Ok((heading.to_owned(), headers, rows))
}
