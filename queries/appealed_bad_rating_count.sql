-- id: appealed_bad_rating_count
-- name: 申诉成立差评数
-- unit: 条
-- kind: count
-- better: none
-- 口径: 本季度评为不满意或非常不满意、经申诉复核成立的评价条数，不计入差评数、差评率和整改。
-- basis: 国办发〔2019〕51号：恶意差评、误评可申诉复核
SELECT SUM(CASE WHEN satisfaction >= 4 AND appeal_upheld THEN 1 ELSE 0 END) AS numerator,
       1 AS denominator
FROM ratings
