-- id: rating_coverage_rate
-- name: 评价覆盖率
-- unit: %
-- kind: rate
-- better: higher
-- 口径: 本季度有受理办件的依申请事项中，本季度收到至少一条评价（评价记录的事项编码）的事项所占比例。
-- basis: 国办发〔2019〕51号：政务服务事项全部纳入评价
-- population: 有办件的事项
SELECT SUM(CASE WHEN has_cases AND has_ratings THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN has_cases THEN 1 ELSE 0 END) AS denominator
FROM matters
