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
    }

    #[test]
    fn rejects_what_cannot_be_summed_or_grouped() {
        for (sql, why) in [
            ("SELECT AVG(net_days) AS numerator, 1 AS denominator FROM completed_cases", "SUM"),
            ("SELECT COUNT(DISTINCT case_id) AS numerator, 1 AS denominator FROM ratings", "DISTINCT"),
            ("SELECT COUNT(*) AS numerator, 1 AS denominator FROM ratings GROUP BY region_key", "GROUP BY"),
            ("SELECT COUNT(*) AS numerator FROM ratings", "denominator"),
            ("SELECT COUNT(*) AS numerator, 1 AS denominator FROM ratings r JOIN matters m ON r.x = m.x", "JOIN"),
        ] {
            let e = shape(sql).unwrap_err();
            assert!(e.contains(why), "{sql}: {e}");
        }
    }
}
