-- id: avg_net_days
-- name: 平均办理时长
-- unit: 工作日
-- better: lower
-- 口径: 本季度办结办件扣除特别程序后的实际用时之和除以办结件数（按各办件自身的时限单位计）。
-- basis: SPEC §3.1
SELECT SUM(net_days) AS numerator, COUNT(*) AS denominator
FROM completed_cases
