-- id: good_rating_rate
-- name: 好评率
-- unit: %
-- kind: rate
-- better: higher
-- 口径: 本季度评价中非常满意与满意所占比例；系统默认评价不计入（计算设置可改为计入）。
-- basis: GB/T 39046 A.8
-- population: 有评价
SELECT SUM(CASE WHEN in_satisfaction AND good THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN in_satisfaction THEN 1 ELSE 0 END) AS denominator
FROM ratings
