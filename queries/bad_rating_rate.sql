-- id: bad_rating_rate
-- name: 差评率
-- unit: %
-- kind: rate
-- better: lower
-- 口径: 本季度差评数占评价数的比例（申诉成立的不算差评）。
-- basis: 差评数/评价数（如深圳）
-- population: 有评价
SELECT SUM(CASE WHEN bad THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM ratings
