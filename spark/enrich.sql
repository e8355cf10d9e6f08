-- pingjia enrich (docs/SPEC.md §3) in Spark SQL: the five views the indicator queries read.
-- The same definitions as src/enrich.rs; tests/it/spark.rs runs both on the same data and
-- requires equal numerators and denominators. Inputs: matters_raw, cases_raw,
-- ratings_raw (canonical Parquet from `pingjia export-canonical`) and calendar
-- (day DATE, w INT: working days from a fixed origin up to and including day).
-- ${rectification_days} is replaced by the job with the limit it was emitted with, and
-- ${as_of} by the 统计截止时间 it was emitted with (or NULL: the data's latest timestamp).

-- The latest catalogue row per region + matter (for joining cases and ratings).
CREATE OR REPLACE TEMP VIEW latest_matters AS
SELECT region_code, matter_code, department AS matter_department, matter_name,
       promised_days AS matter_promised_days, time_unit, category
FROM (
  SELECT *, ROW_NUMBER() OVER (
           PARTITION BY region_code, matter_code ORDER BY as_of DESC NULLS LAST) AS rn
  FROM matters_raw
) WHERE rn = 1;

CREATE OR REPLACE TEMP VIEW rated_case_ids AS
SELECT DISTINCT case_id FROM ratings_raw WHERE case_id IS NOT NULL;

CREATE OR REPLACE TEMP VIEW cases_joined AS
SELECT c.case_id, c.matter_code, c.region_code, c.township_code,
       COALESCE(c.department, m.matter_department) AS department,
       c.channel, c.case_type, c.accepted_at, c.completed_at, c.status, c.promised_days,
       c.suspended_days AS given_suspended_days, c.suspend_start, c.suspend_end, c.visits,
       m.matter_name, m.category,
       COALESCE(c.promised_days, m.matter_promised_days) AS effective_promised_days,
       COALESCE(m.time_unit, 'workday') AS time_unit,
       CAST(c.accepted_at AS DATE) AS accepted_date,
       CAST(c.completed_at AS DATE) AS completed_date,
       CAST(c.suspend_start AS DATE) AS suspend_start_date,
       CAST(c.suspend_end AS DATE) AS suspend_end_date,
       r.case_id IS NOT NULL AS rated
FROM cases_raw c
LEFT JOIN latest_matters m ON c.region_code = m.region_code AND c.matter_code = m.matter_code
LEFT JOIN rated_case_ids r ON c.case_id = r.case_id;

-- W(d) of each date: a lookup, as in the engine.
CREATE OR REPLACE TEMP VIEW cases_w AS
SELECT j.*, wa.w AS w_accepted_date, wc.w AS w_completed_date,
       ws.w AS w_suspend_start_date, we.w AS w_suspend_end_date
FROM cases_joined j
LEFT JOIN calendar wa ON wa.day = j.accepted_date
LEFT JOIN calendar wc ON wc.day = j.completed_date
LEFT JOIN calendar ws ON ws.day = j.suspend_start_date
LEFT JOIN calendar we ON we.day = j.suspend_end_date;

CREATE OR REPLACE TEMP VIEW cases_elapsed AS
SELECT *,
  -- Suspension: the days given, else end − start in the case's unit.
  CASE WHEN given_suspended_days > 0 THEN given_suspended_days
       WHEN suspend_start_date IS NOT NULL AND suspend_end_date IS NOT NULL THEN
         CASE WHEN time_unit = 'calendar' THEN DATEDIFF(suspend_end_date, suspend_start_date)
              ELSE w_suspend_end_date - w_suspend_start_date END
       ELSE 0 END AS suspended_days,
  CASE WHEN time_unit = 'calendar' THEN DATEDIFF(completed_date, accepted_date)
       ELSE w_completed_date - w_accepted_date END AS elapsed_days,
  CONCAT(CAST(YEAR(accepted_date) AS STRING), 'Q', CAST(QUARTER(accepted_date) AS STRING)) AS accepted_quarter,
  CONCAT(CAST(YEAR(completed_date) AS STRING), 'Q', CAST(QUARTER(completed_date) AS STRING)) AS completed_quarter,
  COALESCE(effective_promised_days = 0, FALSE) AS instant,
  COALESCE(channel IN ('online', 'app'), FALSE) AS online
FROM cases_w;

CREATE OR REPLACE TEMP VIEW cases_net AS
SELECT *,
  CASE WHEN elapsed_days IS NULL THEN CAST(NULL AS INT)
       WHEN elapsed_days < suspended_days THEN 0
       ELSE elapsed_days - suspended_days END AS net_days
FROM cases_elapsed;

CREATE OR REPLACE TEMP VIEW cases_enriched AS
SELECT *,
  CASE WHEN status = 'completed' AND net_days IS NOT NULL
       THEN net_days <= effective_promised_days
       ELSE CAST(NULL AS BOOLEAN) END AS on_time,
  CONCAT(SUBSTR(region_code, 1, 2), '0000') AS province_key,
  CONCAT(SUBSTR(region_code, 1, 4), '00') AS city_key,
  region_code AS region_key,
  CONCAT(region_code, '/', department) AS department_key,
  CONCAT(region_code, '/', matter_code) AS matter_key
FROM cases_net;

CREATE OR REPLACE TEMP VIEW accepted_cases AS
SELECT *, accepted_quarter AS quarter FROM cases_enriched;

CREATE OR REPLACE TEMP VIEW completed_cases AS
SELECT *, completed_quarter AS quarter FROM cases_enriched
WHERE status = 'completed' AND completed_at IS NOT NULL;

-- Ratings.
CREATE OR REPLACE TEMP VIEW ratings_w AS
SELECT x.*, wr.w AS w_rated_date, wx.w AS w_rectified_date
FROM (
  SELECT r.rating_id, r.case_id, r.region_code, r.township_code, r.matter_code,
         COALESCE(r.department, m.matter_department) AS department,
         r.channel, r.satisfaction, r.rated_at, r.real_name, r.rectified_at, r.revisited_at,
         r.revisit_satisfied, r.uploaded, r.is_default, r.appeal_upheld,
         CAST(r.rated_at AS DATE) AS rated_date,
         CAST(r.rectified_at AS DATE) AS rectified_date
  FROM ratings_raw r
  LEFT JOIN latest_matters m ON r.region_code = m.region_code AND r.matter_code = m.matter_code
) x
LEFT JOIN calendar wr ON wr.day = x.rated_date
LEFT JOIN calendar wx ON wx.day = x.rectified_date;

CREATE OR REPLACE TEMP VIEW ratings AS
SELECT *,
  CONCAT(CAST(YEAR(rated_date) AS STRING), 'Q', CAST(QUARTER(rated_date) AS STRING)) AS quarter,
  -- An upheld appeal (申诉成立) makes a 差评 no 差评 anywhere.
  satisfaction >= 4 AND NOT COALESCE(appeal_upheld, FALSE) AS bad,
  satisfaction <= 2 AS good,
  ${count_default_ratings} OR NOT COALESCE(is_default, FALSE) AS in_satisfaction,
  COALESCE(rectified_at IS NOT NULL
           AND (w_rectified_date - w_rated_date) <= ${rectification_days}, FALSE) AS rectified_in_time,
  CONCAT(SUBSTR(region_code, 1, 2), '0000') AS province_key,
  CONCAT(SUBSTR(region_code, 1, 4), '00') AS city_key,
  region_code AS region_key,
  CONCAT(region_code, '/', department) AS department_key,
  CONCAT(region_code, '/', matter_code) AS matter_key
FROM ratings_w;

-- 统计截止时间: the one given, else the latest acceptance, completion, rating,
-- rectification or revisit in the data.
CREATE OR REPLACE TEMP VIEW as_of_time AS
SELECT a.t AS as_of
FROM (
  SELECT COALESCE(${as_of}, (SELECT MAX(t) FROM (
    SELECT MAX(accepted_at) AS t FROM cases_raw
    UNION ALL SELECT MAX(completed_at) FROM cases_raw
    UNION ALL SELECT MAX(rated_at) FROM ratings_raw
    UNION ALL SELECT MAX(rectified_at) FROM ratings_raw
    UNION ALL SELECT MAX(revisited_at) FROM ratings_raw
  ))) AS t
) a;

-- Every 差评 at the as-of time: rectified by then; its deadline, the working day on
-- which W reaches W(rated) + limit; due (rectified, or the deadline is behind the as-of
-- day); pending (rated by then, neither rectified nor past the deadline).
CREATE OR REPLACE TEMP VIEW bad_ratings AS
SELECT x.*,
       x.rectified OR x.expired AS due,
       NOT x.rectified AND NOT x.expired AND x.rated_by_then AS pending
FROM (
  SELECT r.*,
         dl.day AS rectification_deadline,
         COALESCE(r.rectified_at IS NOT NULL AND (t.as_of IS NULL OR r.rectified_at <= t.as_of), FALSE) AS rectified,
         COALESCE(t.as_of IS NULL OR dl.day < CAST(t.as_of AS DATE), FALSE) AS expired,
         COALESCE(t.as_of IS NULL OR r.rated_at <= t.as_of, FALSE) AS rated_by_then
  FROM ratings r
  CROSS JOIN as_of_time t
  LEFT JOIN (SELECT w, MIN(day) AS day FROM calendar GROUP BY w) dl
    ON dl.w = r.w_rated_date + ${rectification_days}
  WHERE r.bad
) x;

-- The quarters of the case and rating data.
CREATE OR REPLACE TEMP VIEW data_quarters AS
SELECT DISTINCT quarter FROM (
  SELECT accepted_quarter AS quarter FROM cases_enriched
  UNION ALL SELECT completed_quarter FROM cases_enriched
  UNION ALL SELECT quarter FROM ratings
) WHERE quarter IS NOT NULL;

CREATE OR REPLACE TEMP VIEW quarter_ends AS
SELECT d.quarter, d.end_date, c.w AS w_end
FROM (
  SELECT quarter,
         LAST_DAY(MAKE_DATE(CAST(SUBSTR(quarter, 1, 4) AS INT),
                            CAST(SUBSTR(quarter, 6, 1) AS INT) * 3, 1)) AS end_date
  FROM data_quarters
) d
LEFT JOIN calendar c ON c.day = d.end_date;

-- Cases still open at each quarter's end, and whether they were overdue then.
CREATE OR REPLACE TEMP VIEW open_cases_at_quarter_end AS
SELECT x.*, COALESCE(x.days_open_at_end > x.effective_promised_days, FALSE) AS overdue
FROM (
  SELECT c.*, e.quarter AS quarter,
         (CASE WHEN c.time_unit = 'calendar' THEN DATEDIFF(e.end_date, c.accepted_date)
               ELSE e.w_end - c.w_accepted_date END) - c.suspended_days AS days_open_at_end
  FROM cases_enriched c
  JOIN quarter_ends e
    ON c.accepted_date <= e.end_date
   AND NOT (c.status IN ('rejected', 'withdrawn'))
   AND (c.completed_date IS NULL OR c.completed_date > e.end_date)
) x;

-- 依申请 matters per quarter: the latest snapshot whose as_of falls in the quarter, or,
-- when the catalogue has no snapshot dates, the one catalogue for every data quarter.
CREATE OR REPLACE TEMP VIEW matters_by_quarter AS
SELECT m.*, CONCAT(CAST(YEAR(m.as_of) AS STRING), 'Q', CAST(QUARTER(m.as_of) AS STRING)) AS quarter
FROM matters_raw m
WHERE (SELECT COUNT(as_of) FROM matters_raw) > 0 AND m.as_of IS NOT NULL
UNION ALL
SELECT m.*, q.quarter
FROM matters_raw m CROSS JOIN data_quarters q
WHERE (SELECT COUNT(as_of) FROM matters_raw) = 0;

CREATE OR REPLACE TEMP VIEW matters_base AS
SELECT region_code, CAST(NULL AS STRING) AS township_code, matter_code, matter_name, department,
       category, legal_days, legal_unit,
       promised_days, time_unit, is_instant,
       COALESCE(online_depth, 0) AS online_depth,
       max_visits, as_of, quarter,
       COALESCE(promised_days = 0, FALSE) AS instant_matter,
       legal_unit = time_unit AS same_unit,
       CONCAT(SUBSTR(region_code, 1, 2), '0000') AS province_key,
       CONCAT(SUBSTR(region_code, 1, 4), '00') AS city_key,
       region_code AS region_key,
       CONCAT(region_code, '/', department) AS department_key,
       CONCAT(region_code, '/', matter_code) AS matter_key
FROM (
  SELECT *, MAX(as_of) OVER (PARTITION BY region_code, quarter) AS latest_as_of
  FROM matters_by_quarter
  WHERE category IS NULL OR category IN ('01', '05', '07', '08', '09', '10')
) WHERE as_of IS NULL OR as_of = latest_as_of;

-- has_cases / has_ratings: whether the matter had cases accepted, and received ratings
-- (by the rating's matter code), in the quarter (rating_coverage_rate).
CREATE OR REPLACE TEMP VIEW matters AS
SELECT m.*, hc.quarter IS NOT NULL AS has_cases, hr.quarter IS NOT NULL AS has_ratings
FROM matters_base m
LEFT JOIN (SELECT DISTINCT accepted_quarter AS quarter, region_code, matter_code FROM cases_enriched) hc
  ON hc.quarter = m.quarter AND hc.region_code = m.region_code AND hc.matter_code = m.matter_code
LEFT JOIN (SELECT DISTINCT quarter, region_code, matter_code FROM ratings) hr
  ON hr.quarter = m.quarter AND hr.region_code = m.region_code AND hr.matter_code = m.matter_code;
