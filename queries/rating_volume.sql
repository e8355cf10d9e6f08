-- id: rating_volume
-- name: 评价量
-- unit: 条
-- kind: count
-- better: none
-- table: 5
-- 口径: 本季度收到的好差评评价条数。
-- basis: 国办发〔2019〕51号
SELECT COUNT(*) AS numerator, 1 AS denominator
FROM ratings
