//! The enriched views the indicator SQL reads (docs/SPEC.md §3–4), declared once: which canonical
//! table each view's rows come from, and for every derived column the canonical input
//! columns it is computed from. `src/enrich.rs` builds these columns; this declaration
//! says what each one depends on, so that an unknown cell (docs/SPEC.md §1) can be traced to the
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
    /// Groups of derived columns (those every case or rating has, then the view's own).
    pub derived: &'static [&'static [Derived]],
    /// Intermediate columns enrichment leaves in the view (day numbers, W indexes, the
    /// catalogue's own copy of a value): readable, but no fact of their own.
    pub working: &'static [&'static str],
}

/// Columns every view has beside its table's, its derived and its working ones: the
/// quarter it is counted in and the level keys (for `pingjia query`; indicators are
/// grouped by the engine and never name a key).
pub const KEYS: &[&str] = &[
    "quarter",
    "province_key",
    "city_key",
    "region_key",
    "township_key",
    "department_key",
    "matter_key",
];

/// Working columns of every enriched case.
const CASE_WORKING: &[&str] = &[
    "matter_index",
    "matter_promised_days",
    "suspend_start_date",
    "suspend_end_date",
    "w_accepted_date",
    "w_completed_date",
    "w_suspend_start_date",
    "w_suspend_end_date",
];

/// Working columns of every enriched rating.
const RATING_WORKING: &[&str] = &["matter_index", "w_rated_date", "w_rectified_date"];

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

/// Derived columns every enriched rating has.
const RATING_COLUMNS: &[Derived] = &[
    d("department", &[(R, "department"), (M, "department")]),
    d("matter_department", &[(M, "department")]),
    d("rated_date", &[(R, "rated_at")]),
    d("rectified_date", &[(R, "rectified_at")]),
    d("bad", &[(R, "satisfaction"), (R, "appeal_upheld")]),
    d("good", &[(R, "satisfaction")]),
    d("in_satisfaction", &[(R, "is_default")]),
    d("rectified_in_time", &[(R, "rectified_at"), (R, "rated_at")]),
];

/// Every view, by the name the SQL uses.
pub static VIEWS: &[View] = &[
    View {
        name: "accepted_cases",
        table: C,
        filter: &[(C, "accepted_at")],
        derived: &[CASE_COLUMNS],
        working: CASE_WORKING,
    },
    View {
        name: "completed_cases",
        table: C,
        filter: &[(C, "status"), (C, "completed_at")],
        derived: &[CASE_COLUMNS],
        working: CASE_WORKING,
    },
    View {
        name: "open_cases_at_quarter_end",
        table: C,
        filter: &[(C, "status"), (C, "accepted_at"), (C, "completed_at")],
        derived: &[
            CASE_COLUMNS,
            &[
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
        ],
        working: CASE_WORKING,
    },
    View {
        name: "ratings",
        table: R,
        filter: &[(R, "rated_at")],
        derived: &[RATING_COLUMNS],
        working: RATING_WORKING,
    },
    View {
        name: "bad_ratings",
        table: R,
        filter: &[(R, "rated_at"), (R, "satisfaction")],
        derived: &[
            RATING_COLUMNS,
            &[
                d("rectified", &[(R, "rectified_at")]),
                d("rectification_deadline", &[(R, "rated_at")]),
                d("due", &[(R, "rectified_at"), (R, "rated_at")]),
                d("pending", &[(R, "rectified_at"), (R, "rated_at")]),
            ],
        ],
        working: RATING_WORKING,
    },
    View {
        name: "matters",
        table: M,
        filter: &[(M, "category"), (M, "as_of")],
        derived: &[&[
            d("instant_matter", &[(M, "promised_days")]),
            d("same_unit", &[(M, "legal_unit"), (M, "time_unit")]),
            d("has_cases", &[(C, "accepted_at"), (C, "matter_code")]),
            d("has_ratings", &[(R, "rated_at"), (R, "matter_code")]),
        ]],
        working: &["township_code"],
    },
];

impl View {
    pub fn named(name: &str) -> Option<&'static View> {
        VIEWS.iter().find(|v| v.name.eq_ignore_ascii_case(name))
    }

    /// Every derived column of the view.
    pub fn derived(&self) -> impl Iterator<Item = &'static Derived> {
        self.derived.iter().flat_map(|group| group.iter())
    }

    /// Every column of the view: its table's canonical columns, the derived and working
    /// ones, and the keys. The one list indicator SQL is checked against
    /// (`indicators::metadata`); a test holds it equal to what `src/enrich.rs` builds.
    pub fn columns(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = self.table.columns().iter().map(|c| c.name).collect();
        for name in self
            .derived()
            .map(|d| d.name)
            .chain(self.working.iter().copied())
            .chain(KEYS.iter().copied())
        {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }

    /// The canonical columns a column of this view is computed from (itself, for a
    /// canonical column); empty for keys and bookkeeping columns.
    pub fn sources(&self, column: &str) -> Vec<(Table, &'static str)> {
        if let Some(dv) = self.derived().find(|dv| dv.name == column) {
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
            for (t, c) in v.filter.iter().chain(v.derived().flat_map(|d| d.from)) {
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
