-- id: timely_rectification_rate
-- name: 差评按时整改率
-- unit: %
-- better: higher
-- 口径: 本季度差评中，自评价之日起整改期限（默认15个工作日）内完成整改的比例。
-- basis: 省级规定（四川、浙江15个工作日），整改期限可设置
-- target: 1.0
SELECT SUM(CASE WHEN bad AND rectified_in_time THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN bad THEN 1 ELSE 0 END) AS denominator
FROM ratings
