-- id: rating_level_1_count
-- name: 非常满意评价数
-- unit: 条
-- kind: count
-- better: none
-- 口径: 本季度满意度为“非常满意”（GB/T 39046 A.8 代码1）的评价条数。
-- basis: GB/T 39046—2020 附录A.8
SELECT SUM(CASE WHEN satisfaction = 1 THEN 1 ELSE 0 END) AS numerator, 1 AS denominator
FROM ratings
