-- id: good_rating_rate
-- name: 好评率
-- unit: %
-- kind: rate
-- better: higher
-- 口径: 本季度评价中非常满意与满意所占比例。
-- basis: GB/T 39046 A.8
-- population: 有评价
SELECT SUM(CASE WHEN good THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM ratings
