-- id: case_volume
-- name: 办件量
-- unit: 件
-- kind: count
-- better: none
-- table: 4
-- 口径: 本季度受理的办件数（不论办理状态）。
-- basis: 按受理时间所在季度统计
SELECT COUNT(*) AS numerator, 1 AS denominator
FROM accepted_cases
