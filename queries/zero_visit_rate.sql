-- id: zero_visit_rate
-- name: 零跑动比率
-- unit: %
-- kind: rate
-- better: higher
-- 口径: 依申请政务服务事项中，最多跑动次数为0的事项所占比例。
-- basis: 依申请事项口径（最多跑动次数为0）
SELECT SUM(CASE WHEN max_visits = 0 THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM matters
