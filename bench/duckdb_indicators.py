"""An independent implementation of the docs/SPEC.md §4 indicators in DuckDB, for the benchmark
and as a differential test of pingjia.

Written from the specification (docs/SPEC.md §2 canonical columns, §3 calendar and
durations, §4 populations), not from pingjia's queries/: where the two disagree, one of
them misreads it.
Reads the canonical Parquet tables (matters, cases, ratings — as `pingjia sample
--format parquet` or `pingjia export-canonical` write them) and the holiday schedule
data/calendar/cn-holidays.csv, and writes the long table for the city and region levels:

    quarter, level, key, indicator, numerator, denominator

Usage: duckdb_indicators.py DATA_DIR CALENDAR_CSV OUT.csv [--threads N] [--as-of "YYYY-MM-DD HH:MM:SS"]
                              [--count-default-ratings]
"""

import sys
import time

import duckdb

RECTIFICATION_DAYS = 15  # docs/SPEC.md §4: timely rectification within 15 working days

SQL = r"""
-- §3.1 working days: every day of the schedule's years; weekends off, listed ranges
-- override (off = holiday, work = 调休 make-up day). W(d) = working days up to d.
CREATE TEMP TABLE schedule AS
SELECT CAST(first AS DATE) AS first, CAST(last AS DATE) AS last, kind
FROM read_csv('{calendar}', comment = '#', header = true, all_varchar = true);

CREATE TEMP TABLE days AS
WITH span AS (
  SELECT CAST(date_trunc('year', min(first)) AS DATE) AS lo,
         CAST(date_trunc('year', max(last)) + INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE) AS hi
  FROM schedule
), d AS (
  SELECT CAST(unnest(generate_series(lo, hi, INTERVAL 1 DAY)) AS DATE) AS day FROM span
)
SELECT day,
       SUM(CASE
             WHEN EXISTS (SELECT 1 FROM schedule s WHERE s.kind = 'work' AND d.day BETWEEN s.first AND s.last) THEN 1
             WHEN EXISTS (SELECT 1 FROM schedule s WHERE s.kind = 'off' AND d.day BETWEEN s.first AND s.last) THEN 0
             WHEN isodow(d.day) >= 6 THEN 0
             ELSE 1
           END) OVER (ORDER BY day) AS w
FROM d;

-- The catalogue row a case or rating is joined to: the latest snapshot of its matter.
CREATE TEMP TABLE latest_matter AS
SELECT * FROM read_parquet('{data}/matters.parquet')
QUALIFY row_number() OVER (PARTITION BY region_code, matter_code ORDER BY as_of DESC NULLS LAST) = 1;

-- Cases with their matter, dates and working-day positions. A view, not a table: DuckDB
-- then streams the Parquet file through each population query (tried both: the same
-- time at 10M cases, 0.4 GB instead of 2.3 GB peak).
CREATE VIEW c AS
SELECT c.region_code,
       c.matter_code,
       c.case_id,
       c.status,
       c.channel,
       c.completed_at,
       CAST(c.accepted_at AS DATE) AS a,
       CAST(c.completed_at AS DATE) AS d,
       COALESCE(c.promised_days, m.promised_days) AS promised,
       COALESCE(m.time_unit, 'workday') AS unit,
       CASE
         WHEN c.suspended_days > 0 THEN c.suspended_days
         WHEN c.suspend_start IS NOT NULL AND c.suspend_end IS NOT NULL THEN
           CASE WHEN COALESCE(m.time_unit, 'workday') = 'calendar'
                THEN CAST(c.suspend_end AS DATE) - CAST(c.suspend_start AS DATE)
                ELSE ws_end.w - ws_start.w END
         ELSE 0
       END AS suspended,
       wa.w AS wa,
       wd.w AS wd
FROM read_parquet('{data}/cases.parquet') c
LEFT JOIN latest_matter m USING (region_code, matter_code)
LEFT JOIN days wa ON wa.day = CAST(c.accepted_at AS DATE)
LEFT JOIN days wd ON wd.day = CAST(c.completed_at AS DATE)
LEFT JOIN days ws_start ON ws_start.day = CAST(c.suspend_start AS DATE)
LEFT JOIN days ws_end ON ws_end.day = CAST(c.suspend_end AS DATE);

-- The rectification deadline of a rating made on day rd: the first day on which W
-- reaches W(rd) + limit (a working day: W steps up on working days only).
-- §2.3: a 差评 is scored 4 or 5 and has no upheld appeal (申诉成立); a rating counts in
-- satisfaction unless the system filled it in (默认评价), when the run says so.
CREATE VIEW r AS
SELECT r.*,
       r.satisfaction >= 4 AND NOT COALESCE(r.appeal_upheld, FALSE) AS is_bad,
       {count_default_ratings} OR NOT COALESCE(r.is_default, FALSE) AS counted,
       CAST(r.rated_at AS DATE) AS rd,
       wr.w AS wr,
       wx.w AS wx,
       dl.day AS deadline
FROM read_parquet('{data}/ratings.parquet') r
LEFT JOIN days wr ON wr.day = CAST(r.rated_at AS DATE)
LEFT JOIN days wx ON wx.day = CAST(r.rectified_at AS DATE)
LEFT JOIN (SELECT w, min(day) AS day FROM days GROUP BY w) dl ON dl.w = wr.w + {rectification_days};

CREATE TEMP TABLE rated AS SELECT DISTINCT case_id FROM r WHERE case_id IS NOT NULL;

-- §4 as-of time (统计截止时间): the one given, else the latest timestamp of an
-- acceptance, completion, rating, rectification or revisit; and W of its day.
CREATE TEMP TABLE as_of AS
WITH t AS (
  SELECT COALESCE({as_of}, max(x)) AS t FROM (
    SELECT max(accepted_at) AS x FROM read_parquet('{data}/cases.parquet')
    UNION ALL SELECT max(completed_at) FROM read_parquet('{data}/cases.parquet')
    UNION ALL SELECT max(rated_at) FROM read_parquet('{data}/ratings.parquet')
    UNION ALL SELECT max(rectified_at) FROM read_parquet('{data}/ratings.parquet')
    UNION ALL SELECT max(revisited_at) FROM read_parquet('{data}/ratings.parquet')
  )
)
SELECT t.t, days.w FROM t LEFT JOIN days ON days.day = CAST(t.t AS DATE);

-- §3.2: quarters that appear in the case or rating data.
CREATE TEMP TABLE quarters AS
SELECT DISTINCT q, CAST(date_trunc('quarter', day) + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) AS e
FROM (
  SELECT a AS day, strftime(a, '%Y') || 'Q' || quarter(a) AS q FROM c WHERE a IS NOT NULL
  UNION ALL SELECT d, strftime(d, '%Y') || 'Q' || quarter(d) FROM c WHERE d IS NOT NULL
  UNION ALL SELECT rd, strftime(rd, '%Y') || 'Q' || quarter(rd) FROM r WHERE rd IS NOT NULL
);

-- Populations (docs/SPEC.md §4).
CREATE TEMP TABLE accepted AS
SELECT strftime(a, '%Y') || 'Q' || quarter(a) AS quarter, region_code,
       COUNT(*) AS n_cases,
       COUNT(*) FILTER (WHERE promised = 0) AS n_instant,
       COUNT(*) FILTER (WHERE channel IN ('online', 'app')) AS n_online
FROM c GROUP BY ALL;

CREATE TEMP TABLE completed AS
WITH x AS (
  SELECT *, GREATEST((CASE WHEN unit = 'calendar' THEN d - a ELSE wd - wa END) - suspended, 0) AS net
  FROM c WHERE status = 'completed' AND completed_at IS NOT NULL
)
SELECT strftime(d, '%Y') || 'Q' || quarter(d) AS quarter, region_code,
       COUNT(*) AS n_completed,
       COUNT(*) FILTER (WHERE promised IS NOT NULL) AS n_with_limit,
       COUNT(*) FILTER (WHERE promised IS NOT NULL AND net <= promised) AS n_on_time,
       SUM(net) AS sum_net,
       COUNT(*) FILTER (WHERE case_id IN (SELECT case_id FROM rated)) AS n_rated
FROM x GROUP BY ALL;

CREATE TEMP TABLE overdue AS
SELECT q.q AS quarter, c.region_code, COUNT(*) AS n_overdue
FROM c JOIN quarters q ON c.a <= q.e
LEFT JOIN days we ON we.day = q.e
WHERE c.status NOT IN ('rejected', 'withdrawn')
  AND (c.d IS NULL OR c.d > q.e)
  AND (CASE WHEN c.unit = 'calendar' THEN q.e - c.a ELSE we.w - c.wa END) - c.suspended > c.promised
GROUP BY ALL;

-- 依申请 matters per quarter: the latest snapshot within the quarter, or the only
-- catalogue applied to every quarter of the data.
CREATE TEMP TABLE m_q AS
WITH m AS (
  SELECT * FROM read_parquet('{data}/matters.parquet')
  WHERE category IS NULL OR category IN ('01', '05', '07', '08', '09', '10')
), snap AS (
  SELECT *, strftime(as_of, '%Y') || 'Q' || quarter(as_of) AS quarter FROM m WHERE as_of IS NOT NULL
)
SELECT * FROM snap
QUALIFY as_of = max(as_of) OVER (PARTITION BY region_code, quarter)
UNION ALL BY NAME
SELECT m.*, q.q AS quarter FROM m CROSS JOIN quarters q
WHERE NOT EXISTS (SELECT 1 FROM read_parquet('{data}/matters.parquet') WHERE as_of IS NOT NULL);

CREATE TEMP TABLE catalogue AS
SELECT quarter, region_code,
       COUNT(*) AS n_matters,
       COUNT(*) FILTER (WHERE promised_days = 0) AS n_instant,
       COUNT(*) FILTER (WHERE COALESCE(online_depth, 0) >= 1) AS n_l1,
       COUNT(*) FILTER (WHERE COALESCE(online_depth, 0) >= 2) AS n_l2,
       COUNT(*) FILTER (WHERE COALESCE(online_depth, 0) >= 3) AS n_l3,
       COUNT(*) FILTER (WHERE COALESCE(online_depth, 0) >= 4) AS n_l4,
       COALESCE(SUM(legal_days - promised_days) FILTER (WHERE legal_days > 0 AND legal_unit = time_unit), 0) AS saved_days,
       COALESCE(SUM(legal_days) FILTER (WHERE legal_days > 0 AND legal_unit = time_unit), 0) AS legal_days,
       COALESCE(SUM(max_visits), 0) AS sum_visits,
       COUNT(*) FILTER (WHERE max_visits <= 1) AS n_one_visit,
       COUNT(*) FILTER (WHERE max_visits = 0) AS n_zero_visit
FROM m_q GROUP BY ALL;

CREATE TEMP TABLE rating AS
SELECT strftime(rd, '%Y') || 'Q' || quarter(rd) AS quarter, region_code,
       COUNT(*) AS n_ratings,
       COUNT(*) FILTER (WHERE counted AND NOT is_bad) AS n_satisfied,
       COUNT(*) FILTER (WHERE counted) AS n_counted,
       COUNT(*) FILTER (WHERE counted AND satisfaction <= 2) AS n_good,
       COUNT(*) FILTER (WHERE NOT COALESCE(is_default, FALSE)) AS n_active,
       COUNT(*) FILTER (WHERE satisfaction >= 4 AND COALESCE(appeal_upheld, FALSE)) AS n_upheld,
       COUNT(*) FILTER (WHERE is_bad) AS n_bad,
       -- A 差评 is due once rectified (by the as-of time) or once the as-of day is past
       -- its deadline; one rated by then, not rectified and not past it, is pending.
       COUNT(*) FILTER (WHERE is_bad AND (rectified_at <= (SELECT t FROM as_of)
                        OR deadline < CAST((SELECT t FROM as_of) AS DATE))) AS n_due,
       COUNT(*) FILTER (WHERE is_bad AND rectified_at <= (SELECT t FROM as_of)) AS n_rectified,
       COUNT(*) FILTER (WHERE is_bad AND rectified_at <= (SELECT t FROM as_of)
                        AND wx - wr <= {rectification_days}) AS n_timely,
       COUNT(*) FILTER (WHERE is_bad AND (rectified_at IS NULL OR rectified_at > (SELECT t FROM as_of))
                        AND deadline >= CAST((SELECT t FROM as_of) AS DATE)
                        AND rated_at <= (SELECT t FROM as_of)) AS n_pending,
       -- 回访 follows 整改: a real-name 差评 is owed a revisit once it is due.
       COUNT(*) FILTER (WHERE is_bad AND real_name AND (rectified_at <= (SELECT t FROM as_of)
                        OR deadline < CAST((SELECT t FROM as_of) AS DATE))) AS n_real_bad,
       COUNT(*) FILTER (WHERE is_bad AND real_name AND revisited_at IS NOT NULL
                        AND (rectified_at <= (SELECT t FROM as_of)
                             OR deadline < CAST((SELECT t FROM as_of) AS DATE))) AS n_revisited,
       COUNT(*) FILTER (WHERE is_bad AND revisited_at IS NOT NULL) AS n_bad_revisited,
       COUNT(*) FILTER (WHERE is_bad AND revisited_at IS NOT NULL AND revisit_satisfied) AS n_revisit_ok,
       COUNT(*) FILTER (WHERE uploaded) AS n_uploaded,
       COUNT(*) FILTER (WHERE satisfaction = 1) AS n_s1,
       COUNT(*) FILTER (WHERE satisfaction = 2) AS n_s2,
       COUNT(*) FILTER (WHERE satisfaction = 3) AS n_s3,
       COUNT(*) FILTER (WHERE satisfaction = 4) AS n_s4,
       COUNT(*) FILTER (WHERE satisfaction = 5) AS n_s5
FROM r GROUP BY ALL;

-- 评价覆盖率: 依申请 matters of the quarter with cases accepted in it, and those of them
-- that received a rating in it (the rating's own matter code).
CREATE TEMP TABLE coverage AS
SELECT m.quarter, m.region_code,
       COUNT(*) FILTER (WHERE hc.quarter IS NOT NULL) AS n_with_cases,
       COUNT(*) FILTER (WHERE hc.quarter IS NOT NULL AND hr.quarter IS NOT NULL) AS n_covered
FROM m_q m
LEFT JOIN (SELECT DISTINCT strftime(a, '%Y') || 'Q' || quarter(a) AS quarter, region_code, matter_code
           FROM c WHERE a IS NOT NULL) hc
  ON hc.quarter = m.quarter AND hc.region_code = m.region_code AND hc.matter_code = m.matter_code
LEFT JOIN (SELECT DISTINCT strftime(rd, '%Y') || 'Q' || quarter(rd) AS quarter, region_code, matter_code
           FROM r WHERE rd IS NOT NULL) hr
  ON hr.quarter = m.quarter AND hr.region_code = m.region_code AND hr.matter_code = m.matter_code
GROUP BY ALL;
"""

# indicator → (population table, numerator, denominator); 1 = a count.
INDICATORS = {
    "case_volume": ("accepted", "n_cases", "1"),
    "instant_case_rate": ("accepted", "n_instant", "n_cases"),
    "online_case_rate": ("accepted", "n_online", "n_cases"),
    "on_time_rate": ("completed", "n_on_time", "n_with_limit"),
    "avg_net_days": ("completed", "sum_net", "n_completed"),
    "rating_rate": ("completed", "n_rated", "n_completed"),
    "overdue_open": ("overdue", "n_overdue", "1"),
    "instant_matter_rate": ("catalogue", "n_instant", "n_matters"),
    "online_level_1_rate": ("catalogue", "n_l1", "n_matters"),
    "online_level_2_rate": ("catalogue", "n_l2", "n_matters"),
    "online_level_3_rate": ("catalogue", "n_l3", "n_matters"),
    "online_level_4_rate": ("catalogue", "n_l4", "n_matters"),
    "time_compression_rate": ("catalogue", "saved_days", "legal_days"),
    "avg_max_visits": ("catalogue", "sum_visits", "n_matters"),
    "at_most_one_visit_rate": ("catalogue", "n_one_visit", "n_matters"),
    "zero_visit_rate": ("catalogue", "n_zero_visit", "n_matters"),
    "rating_volume": ("rating", "n_ratings", "1"),
    "satisfaction_rate": ("rating", "n_satisfied", "n_counted"),
    "good_rating_rate": ("rating", "n_good", "n_counted"),
    "active_rating_rate": ("rating", "n_active", "n_ratings"),
    "bad_rating_rate": ("rating", "n_bad", "n_ratings"),
    "appealed_bad_rating_count": ("rating", "n_upheld", "1"),
    "rating_coverage_rate": ("coverage", "n_covered", "n_with_cases"),
    "bad_rating_count": ("rating", "n_bad", "1"),
    "rectification_rate": ("rating", "n_rectified", "n_due"),
    "timely_rectification_rate": ("rating", "n_timely", "n_due"),
    "pending_rectification_count": ("rating", "n_pending", "1"),
    "revisit_rate": ("rating", "n_revisited", "n_real_bad"),
    "revisit_satisfaction_rate": ("rating", "n_revisit_ok", "n_bad_revisited"),
    "upload_rate": ("rating", "n_uploaded", "n_ratings"),
    "rating_level_1_count": ("rating", "n_s1", "1"),
    "rating_level_2_count": ("rating", "n_s2", "1"),
    "rating_level_3_count": ("rating", "n_s3", "1"),
    "rating_level_4_count": ("rating", "n_s4", "1"),
    "rating_level_5_count": ("rating", "n_s5", "1"),
}

# Levels (docs/SPEC.md §4): the city from the region code's first four digits.
LEVELS = {
    "city": "substr(region_code, 1, 4) || '00'",
    "region": "region_code",
}


def main():
    args = sys.argv[1:]
    threads = None
    if "--threads" in args:
        i = args.index("--threads")
        threads = int(args[i + 1])
        del args[i : i + 2]
    as_of = "NULL"
    if "--as-of" in args:
        i = args.index("--as-of")
        as_of = f"TIMESTAMP '{args[i + 1]}'"
        del args[i : i + 2]
    count_default = "--count-default-ratings" in args
    if count_default:
        args.remove("--count-default-ratings")
    data, calendar, out = args
    started = time.time()
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {threads}")
    con.execute(
        SQL.format(
            data=data,
            calendar=calendar,
            rectification_days=RECTIFICATION_DAYS,
            as_of=as_of,
            count_default_ratings="TRUE" if count_default else "FALSE",
        )
    )
    parts = []
    for ind, (table, num, den) in INDICATORS.items():
        for level, key in LEVELS.items():
            parts.append(
                f"SELECT quarter, '{level}' AS level, {key} AS key, '{ind}' AS indicator, "
                f"CAST(SUM({num}) AS DOUBLE) AS numerator, "
                f"CAST({'1' if den == '1' else f'SUM({den})'} AS DOUBLE) AS denominator "
                f"FROM {table} GROUP BY ALL"
            )
    con.execute(
        f"COPY ({' UNION ALL '.join(parts)} ORDER BY quarter, level, key, indicator) "
        f"TO '{out}' (HEADER, DELIMITER ',')"
    )
    print(f"duckdb {duckdb.__version__}: {time.time() - started:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
