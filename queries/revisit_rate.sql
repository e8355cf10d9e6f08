-- id: revisit_rate
-- name: 实名差评回访率
-- unit: %
-- better: higher
-- 口径: 本季度实名差评中已回访（有回访时间）的比例。
-- basis: 国办发〔2019〕51号：实名差评回访整改率100%
-- target: 1.0
-- success: 回访{n}条实名差评
-- failure: 未回访实名差评{n}条
-- population: 有实名差评
SELECT SUM(CASE WHEN bad AND real_name AND revisited_at IS NOT NULL THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN bad AND real_name THEN 1 ELSE 0 END) AS denominator
FROM ratings
