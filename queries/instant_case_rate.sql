-- id: instant_case_rate
-- name: 即办件率（办件口径）
-- unit: %
-- better: higher
-- 口径: 本季度受理的办件中，有效承诺时限为0（即办）的办件所占比例。
-- basis: SPEC §4; 办件类型 GB/T 39046 A.6
SELECT SUM(CASE WHEN instant THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM accepted_cases
