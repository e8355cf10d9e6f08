//! Planning: every indicator query is parsed once (sqlparser) into the view it reads,
//! its filter, and its numerator and denominator. Because both are sums (SUM or COUNT)
//! or constants, all indicators that read the same view with the same filter are
//! computed by one aggregation at the finest grain — quarter × region × department ×
//! matter — and every level is then a sum over that small result. Each view is
//! scanned once per run, whatever the number of indicators and levels.

use sqlparser::ast::{
    DuplicateTreatment, Expr, FunctionArguments, GroupByExpr, SelectItem, SetExpr, Statement,
    TableFactor, Value,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

/// A numerator or denominator.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// `SUM(…)` or `COUNT(…)`: additive, so partial sums combine.
    Sum(String),
    /// A number literal, e.g. `1 AS denominator` for counts.
    Constant(f64),
}

/// What one indicator query computes.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub view: String,
    pub filter: Option<String>,
    pub numerator: Part,
    pub denominator: Part,
}

/// Parses an indicator body into its shape, or says what is outside the supported form:
/// `SELECT <sum> AS numerator, <sum> AS denominator FROM <view> [WHERE …]`.
pub fn shape(sql: &str) -> Result<Shape, String> {
    let statements = Parser::parse_sql(&GenericDialect {}, sql)
        .map_err(|e| format!("SQL does not parse: {e}"))?;
    let [Statement::Query(query)] = statements.as_slice() else {
        return Err("the body must be exactly one SELECT statement".into());
    };
    if query.with.is_some() || query.order_by.is_some() || query.limit_clause.is_some() {
        return Err("no WITH, ORDER BY or LIMIT in an indicator query".into());
    }
    let SetExpr::Select(select) = query.body.as_ref() else {
        return Err("the body must be a plain SELECT (no UNION or subquery)".into());
    };
    if select.distinct.is_some() || select.having.is_some() {
        return Err("no DISTINCT or HAVING in an indicator query".into());
    }
    if !matches!(&select.group_by, GroupByExpr::Expressions(e, _) if e.is_empty()) {
        return Err("no GROUP BY: the engine groups by quarter and level".into());
    }
    let [from] = select.from.as_slice() else {
        return Err("read exactly one view in FROM".into());
    };
    if !from.joins.is_empty() {
        return Err("no JOIN: read one enriched view".into());
    }
    let TableFactor::Table { name, .. } = &from.relation else {
        return Err("FROM must name a view".into());
    };
    let mut numerator = None;
    let mut denominator = None;
    for item in &select.projection {
        let SelectItem::ExprWithAlias { expr, alias } = item else {
            return Err(format!(
                "'{item}': name each column, AS numerator or AS denominator"
            ));
        };
        let part = part(expr)?;
        match alias.value.to_lowercase().as_str() {
            "numerator" => numerator = Some(part),
            "denominator" => denominator = Some(part),
            other => {
                return Err(format!(
                    "column '{other}': only numerator and denominator are returned"
                ))
            }
        }
    }
    if let Some(filter) = &select.selection {
        portable(filter)?;
    }
    Ok(Shape {
        view: name.to_string(),
        filter: select.selection.as_ref().map(|e| e.to_string()),
        numerator: numerator.ok_or("the SELECT must return a column named numerator")?,
        denominator: denominator.ok_or("the SELECT must return a column named denominator")?,
    })
}

fn part(expr: &Expr) -> Result<Part, String> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n
                .parse()
                .map(Part::Constant)
                .map_err(|_| format!("'{n}' is not a number")),
            other => Err(format!("'{other}' is not a number")),
        },
        Expr::Nested(inner) => part(inner),
        Expr::Function(f) => {
            let name = f.name.to_string().to_lowercase();
            let distinct = matches!(&f.args, FunctionArguments::List(l) if l.duplicate_treatment == Some(DuplicateTreatment::Distinct));
            if (name == "sum" || name == "count") && !distinct && f.over.is_none() {
                portable(expr)?;
                Ok(Part::Sum(expr.to_string()))
            } else {
                Err(format!("'{expr}': numerator and denominator must be SUM(…) or COUNT(…) (not DISTINCT), so that partial sums combine"))
            }
        }
        _ => Err(format!(
            "'{expr}': numerator and denominator must be SUM(…), COUNT(…) or a number"
        )),
    }
}

/// Checks that an expression stays inside the subset Polars SQL and Spark SQL execute
/// with the same meaning (queries/README.md "Portable SQL"): columns, number and string
/// literals, comparisons, AND/OR/NOT, IS [NOT] NULL, IN (list), BETWEEN, CASE, + − ×,
/// and the functions SUM, COUNT, COALESCE. Division, casts, date and string functions
/// differ between the engines (integer division, time zones, collations) and are
/// refused; the enriched views provide what they would compute.
pub fn portable(expr: &Expr) -> Result<(), String> {
    use sqlparser::ast::{BinaryOperator as B, FunctionArg, FunctionArgExpr, UnaryOperator as U};
    let refuse = |what: &str| {
        Err(format!(
            "'{expr}': {what} is outside the portable SQL subset (queries/README.md)"
        ))
    };
    match expr {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => Ok(()),
        Expr::Value(v) => match &v.value {
            Value::Number(..) | Value::SingleQuotedString(_) | Value::Boolean(_) | Value::Null => {
                Ok(())
            }
            _ => refuse("this literal"),
        },
        Expr::Nested(e) | Expr::IsNull(e) | Expr::IsNotNull(e) => portable(e),
        Expr::IsTrue(e) | Expr::IsFalse(e) | Expr::IsNotTrue(e) | Expr::IsNotFalse(e) => {
            portable(e)
        }
        Expr::UnaryOp { op, expr: e } => match op {
            U::Not | U::Minus | U::Plus => portable(e),
            _ => refuse("this operator"),
        },
        Expr::BinaryOp { left, op, right } => match op {
            B::Plus
            | B::Minus
            | B::Multiply
            | B::Eq
            | B::NotEq
            | B::Lt
            | B::LtEq
            | B::Gt
            | B::GtEq
            | B::And
            | B::Or => {
                portable(left)?;
                portable(right)
            }
            B::Divide | B::Modulo => {
                refuse("division (integer in Polars, decimal in Spark; the engine divides numerator by denominator)")
            }
            _ => refuse("this operator"),
        },
        Expr::InList { expr: e, list, .. } => {
            portable(e)?;
            list.iter().try_for_each(portable)
        }
        Expr::Between {
            expr: e, low, high, ..
        } => {
            portable(e)?;
            portable(low)?;
            portable(high)
        }
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            if let Some(o) = operand {
                portable(o)?;
            }
            for c in conditions {
                portable(&c.condition)?;
                portable(&c.result)?;
            }
            if let Some(e) = else_result {
                portable(e)?;
            }
            Ok(())
        }
        Expr::Function(f) => {
            let name = f.name.to_string().to_lowercase();
            if !["sum", "count", "coalesce"].contains(&name.as_str()) {
                return refuse(&format!("the function {name}()"));
            }
            if f.over.is_some() || f.filter.is_some() {
                return refuse("a window or FILTER clause");
            }
            let FunctionArguments::List(list) = &f.args else {
                return refuse("this argument form");
            };
            for arg in &list.args {
                match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => portable(e)?,
                    FunctionArg::Unnamed(FunctionArgExpr::Wildcard) if name == "count" => {}
                    _ => return refuse("this argument"),
                }
            }
            Ok(())
        }
        Expr::Cast { .. } => refuse("CAST (types and rounding differ)"),
        _ => refuse("this construct"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let s = shape("SELECT SUM(CASE WHEN on_time THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator FROM completed_cases WHERE region_key IS NOT NULL").unwrap();
        assert_eq!(s.view, "completed_cases");
        assert_eq!(s.filter.as_deref(), Some("region_key IS NOT NULL"));
        assert_eq!(s.denominator, Part::Sum("COUNT(*)".into()));
        let c = shape("SELECT COUNT(*) AS numerator, 1 AS denominator FROM ratings").unwrap();
        assert_eq!(c.denominator, Part::Constant(1.0));
        // Inside the subset: CASE, COALESCE, IN, BETWEEN, IS NULL, arithmetic.
        shape("SELECT SUM(CASE WHEN channel IN ('online', 'app') AND NOT bad THEN COALESCE(visits, 0) * 2 - 1 ELSE 0 END) AS numerator, SUM(CASE WHEN satisfaction BETWEEN 1 AND 3 OR rectified_at IS NULL THEN 1 ELSE 0 END) AS denominator FROM ratings WHERE region_key <> '370303'").unwrap();
    }

    /// Every bundled query is inside the portable subset, so Spark runs it unchanged.
    #[test]
    fn every_bundled_query_is_portable() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "sql") {
                let text = std::fs::read_to_string(&path).unwrap();
                crate::indicators::metadata::parse(&text, &path)
                    .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
                n += 1;
            }
        }
        assert_eq!(n, 35);
    }

    #[test]
    fn rejects_what_cannot_be_summed_or_grouped() {
        for (sql, why) in [
            ("SELECT AVG(net_days) AS numerator, 1 AS denominator FROM completed_cases", "SUM"),
            ("SELECT COUNT(DISTINCT case_id) AS numerator, 1 AS denominator FROM ratings", "DISTINCT"),
            ("SELECT COUNT(*) AS numerator, 1 AS denominator FROM ratings GROUP BY region_key", "GROUP BY"),
            ("SELECT COUNT(*) AS numerator FROM ratings", "denominator"),
            ("SELECT COUNT(*) AS numerator, 1 AS denominator FROM ratings r JOIN matters m ON r.x = m.x", "JOIN"),
            ("SELECT SUM(net_days / 2) AS numerator, COUNT(*) AS denominator FROM completed_cases", "division"),
            ("SELECT SUM(CAST(bad AS INT)) AS numerator, COUNT(*) AS denominator FROM ratings", "CAST"),
            ("SELECT SUM(CASE WHEN YEAR(rated_at) = 2025 THEN 1 ELSE 0 END) AS numerator, 1 AS denominator FROM ratings", "year()"),
            ("SELECT COUNT(*) AS numerator, 1 AS denominator FROM ratings WHERE department LIKE '市场%'", "outside the portable"),
            ("SELECT SUM(net_days % 2) AS numerator, COUNT(*) AS denominator FROM completed_cases", "division"),
        ] {
            let e = shape(sql).unwrap_err();
            assert!(e.contains(why), "{sql}: {e}");
        }
    }
}
