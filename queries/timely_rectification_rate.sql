-- id: timely_rectification_rate
-- name: 差评按时整改率
-- unit: %
-- kind: rate
-- chart: ranking trend
-- better: higher
-- measure: unrectified
-- 口径: 本季度到期差评中，自评价之日起整改期限（工作日）内完成整改的比例。
-- basis: 各地规定的差评整改期限（可设置）
-- target: 1.0
-- headline: 7
-- success: 按时整改{n}条差评
-- failure: 超期整改或未整改差评{n}条
-- population: 有到期差评
SELECT SUM(CASE WHEN due AND rectified AND rectified_in_time THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN due THEN 1 ELSE 0 END) AS denominator
FROM bad_ratings
