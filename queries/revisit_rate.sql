-- id: revisit_rate
-- name: 实名差评回访率
-- unit: %
-- kind: rate
-- better: higher
-- measure: revisit
-- 口径: 本季度到期实名差评（已整改或已过整改期限）中已回访（有回访时间）的比例；尚在整改期限内的差评不计入。
-- basis: 国办发〔2019〕51号：实名差评回访整改率100%
-- target: 1.0
-- success: 回访{n}条实名差评
-- failure: 未回访实名差评{n}条
-- population: 有到期实名差评
SELECT SUM(CASE WHEN due AND real_name AND revisited_at IS NOT NULL THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN due AND real_name THEN 1 ELSE 0 END) AS denominator
FROM bad_ratings
