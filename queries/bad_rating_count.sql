-- id: bad_rating_count
-- name: 差评数
-- unit: 条
-- kind: count
-- better: lower
-- 口径: 本季度评价为不满意或非常不满意的条数。
-- basis: 国办发〔2019〕51号
-- failure: 差评{n}条
SELECT SUM(CASE WHEN bad THEN 1 ELSE 0 END) AS numerator, 1 AS denominator
FROM ratings
