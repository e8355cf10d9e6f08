-- id: revisit_satisfaction_rate
-- name: 回访满意率
-- unit: %
-- kind: rate
-- better: higher
-- 口径: 本季度已回访的差评中，回访结果为满意的比例。
-- basis: 差评回访结果为满意的比例
-- population: 有差评回访
SELECT SUM(CASE WHEN bad AND revisited_at IS NOT NULL AND revisit_satisfied THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN bad AND revisited_at IS NOT NULL THEN 1 ELSE 0 END) AS denominator
FROM ratings
