-- id: time_compression_rate
-- name: 承诺时限压缩比
-- unit: %
-- better: higher
-- 口径: 法定与承诺时限单位相同且法定时限大于0的依申请事项，（法定时限之和−承诺时限之和）÷法定时限之和。
-- basis: SPEC §4; 比值为合计之比，不是各事项压缩比的平均
-- target: 0.5
SELECT SUM(CASE WHEN legal_days > 0 AND promised_days IS NOT NULL AND same_unit THEN legal_days - promised_days ELSE 0 END) AS numerator,
       SUM(CASE WHEN legal_days > 0 AND promised_days IS NOT NULL AND same_unit THEN legal_days ELSE 0 END) AS denominator
FROM matters
