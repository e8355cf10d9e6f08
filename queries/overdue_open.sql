-- id: overdue_open
-- name: 超期未办结件数
-- unit: 件
-- kind: count
-- better: lower
-- measure: open_overdue
-- 口径: 季度末仍未办结（未不予受理、未撤件）且已用时扣除特别程序后超过承诺时限的办件数。
-- basis: 季度末仍在办且已超过承诺时限的办件
-- target: 0
-- failure: 超期未办结{n}件
SELECT SUM(CASE WHEN overdue THEN 1 ELSE 0 END) AS numerator, 1 AS denominator
FROM open_cases_at_quarter_end
