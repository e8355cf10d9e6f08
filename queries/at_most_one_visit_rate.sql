-- id: at_most_one_visit_rate
-- name: 最多跑一次比率
-- unit: %
-- kind: rate
-- better: higher
-- 口径: 依申请政务服务事项中，最多跑动次数不超过1次的事项所占比例。
-- basis: “最多跑一次”改革；依申请事项口径
SELECT SUM(CASE WHEN max_visits <= 1 THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM matters
