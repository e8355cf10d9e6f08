-- id: satisfaction_rate
-- name: 评价满意率
-- unit: %
-- kind: rate
-- chart: ranking trend
-- better: higher
-- measure: satisfaction
-- 口径: 本季度评价中非差评（非常满意、满意、基本满意）所占比例；系统默认评价不计入（计算设置可改为计入），申诉成立的差评不算差评。
-- basis: 国办发〔2019〕51号; GB/T 39046 A.8
-- target: 0.99
-- headline: 5
-- success: 满意评价{n}条
-- failure: 差评{n}条
-- population: 有评价
SELECT SUM(CASE WHEN in_satisfaction AND NOT bad THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN in_satisfaction THEN 1 ELSE 0 END) AS denominator
FROM ratings
