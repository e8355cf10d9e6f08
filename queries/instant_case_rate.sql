-- id: instant_case_rate
-- name: 即办件率
-- unit: %
-- kind: rate
-- chart: ranking trend
-- better: higher
-- 口径: 本季度受理的办件中，有效承诺时限为0（即办）的办件所占比例。
-- basis: 本季度受理办件口径；办件类型见GB/T 39046—2020 附录A.6
-- headline: 2
-- success: 即办{n}件
SELECT SUM(CASE WHEN instant THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM accepted_cases
