-- id: avg_net_days
-- name: 平均办理时长
-- unit: 工作日
-- kind: mean
-- better: lower
-- 口径: 本季度办结办件扣除特别程序后的实际用时之和除以办结件数（按各办件自身的时限单位计）。
-- basis: 行政许可法第四十五条、第八十二条：扣除特别程序时间，按工作日计
SELECT SUM(net_days) AS numerator, COUNT(*) AS denominator
FROM completed_cases
