-- id: rating_level_5_count
-- name: 非常不满意评价数
-- unit: 条
-- kind: count
-- better: none
-- 口径: 本季度满意度为“非常不满意”（GB/T 39046 A.8 代码5）的评价条数。
-- basis: GB/T 39046—2020 附录A.8
SELECT SUM(CASE WHEN satisfaction = 5 THEN 1 ELSE 0 END) AS numerator, 1 AS denominator
FROM ratings
