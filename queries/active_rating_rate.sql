-- id: active_rating_rate
-- name: 主动评价率
-- unit: %
-- kind: rate
-- better: higher
-- 口径: 本季度评价中办事人主动作出的评价（非系统默认评价）所占比例。
-- basis: 系统默认评价非本人意见（如广东：7天内未评价视为基本满意）
-- population: 有评价
SELECT SUM(CASE WHEN is_default THEN 0 ELSE 1 END) AS numerator, COUNT(*) AS denominator
FROM ratings
