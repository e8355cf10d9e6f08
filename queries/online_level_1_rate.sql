-- id: online_level_1_rate
-- name: 一级网办率
-- unit: %
-- kind: rate
-- better: higher
-- 口径: 依申请政务服务事项中，网上办理深度达到一级及以上的事项所占比例。
-- basis: 网上办理深度（一级至四级，累计口径）
SELECT SUM(CASE WHEN online_depth >= 1 THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM matters
