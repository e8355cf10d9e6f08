-- id: avg_max_visits
-- name: 平均跑动次数
-- unit: 次
-- kind: mean
-- better: lower
-- table: 3
-- 口径: 依申请政务服务事项最多跑动次数之和除以依申请事项数。
-- basis: 依申请事项“最多跑动次数”的平均值
SELECT SUM(COALESCE(max_visits, 0)) AS numerator, COUNT(*) AS denominator
FROM matters
