//! The enriched views the indicator SQL reads (SPEC §3–4), declared once: which canonical
//! table each view's rows come from, and for every derived column the canonical input
//! columns it is computed from. `src/enrich.rs` builds these columns; this declaration
//! says what each one depends on, so that an unknown cell (SPEC §1) can be traced to the
//! indicators that meet it.

use crate::schema::Table;

/// A derived column of a view and the canonical columns it is computed from.
pub struct Derived {
    pub name: &'static str,
    pub from: &'static [(Table, &'static str)],
}

/// One enriched view.
pub struct View {
    pub name: &'static str,
    /// The table whose rows (or, for `open_cases_at_quarter_end`, rows × quarter ends)
    /// the view holds; all its canonical columns are columns of the view.
    pub table: Table,
    /// Columns the view's own row filter reads: every indicator over it depends on them.
    pub filter: &'static [(Table, &'static str)],
    pub derived: &'static [Derived],
}

use Table::{Cases as C, Matters as M, Ratings as R};

const fn d(name: &'static str, from: &'static [(Table, &'static str)]) -> Derived {
    Derived { name, from }
}

/// Derived columns every enriched case has.
const CASE_COLUMNS: &[Derived] = &[
    d("department", &[(C, "department"), (M, "department")]),
    d("matter_department", &[(M, "department")]),
    d("matter_name", &[(M, "matter_name")]),
    d("category", &[(M, "category")]),
    d("rated", &[(R, "case_id")]),
    d(
        "effective_promised_days",
        &[(C, "promised_days"), (M, "promised_days")],
    ),
    d("time_unit", &[(M, "time_unit")]),
    d("accepted_date", &[(C, "accepted_at")]),
    d("completed_date", &[(C, "completed_at")]),
    d("accepted_quarter", &[(C, "accepted_at")]),
    d("completed_quarter", &[(C, "completed_at")]),
    d(
        "elapsed_days",
        &[(C, "accepted_at"), (C, "completed_at"), (M, "time_unit")],
    ),
    d(
        "suspended_days",
        &[
            (C, "suspended_days"),
            (C, "suspend_start"),
            (C, "suspend_end"),
        ],
    ),
    d(
        "net_days",
        &[
            (C, "accepted_at"),
            (C, "completed_at"),
            (M, "time_unit"),
            (C, "suspended_days"),
            (C, "suspend_start"),
            (C, "suspend_end"),
        ],
    ),
    d(
        "on_time",
        &[
            (C, "status"),
            (C, "accepted_at"),
            (C, "completed_at"),
            (M, "time_unit"),
            (C, "suspended_days"),
            (C, "suspend_start"),
            (C, "suspend_end"),
            (C, "promised_days"),
            (M, "promised_days"),
        ],
    ),
    d("instant", &[(C, "promised_days"), (M, "promised_days")]),
    d("online", &[(C, "channel")]),
];

/// Every view, by the name the SQL uses.
pub static VIEWS: &[View] = &[
    View {
        name: "accepted_cases",
        table: C,
        filter: &[(C, "accepted_at")],
        derived: CASE_COLUMNS,
    },
    View {
        name: "completed_cases",
        table: C,
        filter: &[(C, "status"), (C, "completed_at")],
        derived: CASE_COLUMNS,
    },
    View {
        name: "open_cases_at_quarter_end",
        table: C,
        filter: &[(C, "status"), (C, "accepted_at"), (C, "completed_at")],
        derived: &[
            d(
                "days_open_at_end",
                &[
                    (C, "accepted_at"),
                    (M, "time_unit"),
                    (C, "suspended_days"),
                    (C, "suspend_start"),
                    (C, "suspend_end"),
                ],
            ),
            d(
                "overdue",
                &[
                    (C, "accepted_at"),
                    (M, "time_unit"),
                    (C, "suspended_days"),
                    (C, "suspend_start"),
                    (C, "suspend_end"),
                    (C, "promised_days"),
                    (M, "promised_days"),
                ],
            ),
        ],
    },
    View {
        name: "ratings",
        table: R,
        filter: &[(R, "rated_at")],
        derived: &[
            d("department", &[(R, "department"), (M, "department")]),
            d("matter_department", &[(M, "department")]),
            d("rated_date", &[(R, "rated_at")]),
            d("rectified_date", &[(R, "rectified_at")]),
            d("bad", &[(R, "satisfaction")]),
            d("good", &[(R, "satisfaction")]),
            d("rectified_in_time", &[(R, "rectified_at"), (R, "rated_at")]),
        ],
    },
    View {
        name: "bad_ratings",
        table: R,
        filter: &[(R, "rated_at"), (R, "satisfaction")],
        derived: &[
            d("department", &[(R, "department"), (M, "department")]),
            d("rated_date", &[(R, "rated_at")]),
            d("rectified_date", &[(R, "rectified_at")]),
            d("bad", &[(R, "satisfaction")]),
            d("rectified", &[(R, "rectified_at")]),
            d("rectified_in_time", &[(R, "rectified_at"), (R, "rated_at")]),
            d("rectification_deadline", &[(R, "rated_at")]),
            d("due", &[(R, "rectified_at"), (R, "rated_at")]),
            d("pending", &[(R, "rectified_at"), (R, "rated_at")]),
        ],
    },
    View {
        name: "matters",
        table: M,
        filter: &[(M, "category"), (M, "as_of")],
        derived: &[
            d("instant_matter", &[(M, "promised_days")]),
            d("same_unit", &[(M, "legal_unit"), (M, "time_unit")]),
        ],
    },
];

impl View {
    pub fn named(name: &str) -> Option<&'static View> {
        VIEWS.iter().find(|v| v.name.eq_ignore_ascii_case(name))
    }

    /// The canonical columns a column of this view is computed from (itself, for a
    /// canonical column); empty for keys and bookkeeping columns.
    pub fn sources(&self, column: &str) -> Vec<(Table, &'static str)> {
        if let Some(dv) = self.derived.iter().find(|dv| dv.name == column) {
            return dv.from.to_vec();
        }
        self.table
            .column(column)
            .map(|c| vec![(self.table, c.name)])
            .unwrap_or_default()
    }

    /// The canonical columns an indicator body over this view depends on: those of every
    /// column its SQL names, and those of the view's own filter.
    pub fn dependencies(&self, sql: &str) -> Vec<(Table, &'static str)> {
        use sqlparser::tokenizer::{Token, Tokenizer};
        let dialect = sqlparser::dialect::GenericDialect {};
        let mut out: Vec<(Table, &'static str)> = self.filter.to_vec();
        if let Ok(tokens) = Tokenizer::new(&dialect, sql).tokenize() {
            for t in tokens {
                if let Token::Word(w) = t {
                    for s in self.sources(&w.value.to_lowercase()) {
                        if !out.contains(&s) {
                            out.push(s);
                        }
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_is_a_canonical_column() {
        for v in VIEWS {
            for (t, c) in v.filter.iter().chain(v.derived.iter().flat_map(|d| d.from)) {
                assert!(t.column(c).is_some(), "{}: {}.{c}", v.name, t.name());
            }
        }
    }

    #[test]
    fn an_indicator_depends_on_what_it_reads() {
        let v = View::named("accepted_cases").unwrap();
        let deps = v.dependencies(
            "SELECT SUM(CASE WHEN online THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator FROM accepted_cases",
        );
        assert!(deps.contains(&(Table::Cases, "channel")));
        assert!(!deps.contains(&(Table::Cases, "status")));
        let v = View::named("completed_cases").unwrap();
        let deps = v.dependencies("SELECT SUM(CASE WHEN on_time THEN 1 ELSE 0 END) AS numerator, 1 AS denominator FROM completed_cases");
        assert!(deps.contains(&(Table::Matters, "promised_days")));
        assert!(deps.contains(&(Table::Cases, "status")));
    }
}
