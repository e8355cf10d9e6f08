-- id: rectification_rate
-- name: 差评整改率
-- unit: %
-- better: higher
-- 口径: 本季度差评中已整改（有整改时间）的比例。
-- basis: 国办发〔2019〕51号：差评100%整改
-- target: 1.0
SELECT SUM(CASE WHEN bad AND rectified_at IS NOT NULL THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN bad THEN 1 ELSE 0 END) AS denominator
FROM ratings
