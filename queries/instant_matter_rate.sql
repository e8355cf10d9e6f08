-- id: instant_matter_rate
-- name: 即办事项比率
-- unit: %
-- kind: rate
-- better: higher
-- 口径: 依申请政务服务事项中，承诺办结时限为即办（0天）的事项所占比例。
-- basis: 依申请事项口径（承诺时限为即办的事项）
SELECT SUM(CASE WHEN instant_matter THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM matters
