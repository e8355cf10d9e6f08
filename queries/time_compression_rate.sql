-- id: time_compression_rate
-- name: 承诺时限压缩比
-- unit: %
-- kind: rate
-- chart: ranking trend
-- better: higher
-- measure: compression
-- 口径: 法定与承诺时限单位相同且法定时限大于0的依申请事项，（法定时限之和−承诺时限之和）÷法定时限之和。
-- basis: 依申请事项合计口径：1 − 承诺时限之和 ÷ 法定时限之和
-- target: 0.5
-- headline: 4
-- population: 有法定时限事项
SELECT SUM(CASE WHEN legal_days > 0 AND promised_days IS NOT NULL AND same_unit THEN legal_days - promised_days ELSE 0 END) AS numerator,
       SUM(CASE WHEN legal_days > 0 AND promised_days IS NOT NULL AND same_unit THEN legal_days ELSE 0 END) AS denominator
FROM matters
