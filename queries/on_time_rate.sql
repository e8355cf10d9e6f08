-- id: on_time_rate
-- name: 按期办结率
-- unit: %
-- better: higher
-- 口径: 本季度办结的办件中，扣除特别程序时长后的实际用时不超过承诺时限的比例；即办件须当日办结；无承诺时限的办件不计入。
-- basis: 行政许可法第42、45、82条; SPEC §3.1
-- target: 1.0
SELECT SUM(CASE WHEN on_time THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN on_time IS NOT NULL THEN 1 ELSE 0 END) AS denominator
FROM completed_cases
