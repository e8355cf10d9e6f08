-- id: on_time_rate
-- name: 按期办结率
-- unit: %
-- kind: rate
-- chart: ranking trend
-- draft: ranking trend
-- better: higher
-- measure: late
-- 口径: 本季度办结的办件中，扣除特别程序时长后的实际用时不超过承诺时限的比例；即办件须当日办结；无承诺时限的办件不计入。
-- basis: 行政许可法第四十二条、第四十五条、第八十二条
-- target: 1.0
-- headline: 1
-- success: 按期办结{n}件
-- failure: 逾期办结{n}件
-- population: 有办结办件
SELECT SUM(CASE WHEN on_time THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN on_time IS NOT NULL THEN 1 ELSE 0 END) AS denominator
FROM completed_cases
