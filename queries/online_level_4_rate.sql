-- id: online_level_4_rate
-- name: 四级网办率
-- unit: %
-- kind: rate
-- better: higher
-- table: 2
-- 口径: 依申请政务服务事项中，网上办理深度达到四级及以上的事项所占比例。
-- basis: 网上办理深度（一级至四级，累计口径）
SELECT SUM(CASE WHEN online_depth >= 4 THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM matters
