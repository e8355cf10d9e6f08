-- id: rating_rate
-- name: 评价率
-- unit: %
-- kind: rate
-- better: higher
-- 口径: 本季度办结的办件中，至少有一条评价关联到其办件编号的办件所占比例。
-- basis: 本季度办结办件中收到评价的比例
-- population: 有办结办件
SELECT SUM(CASE WHEN rated THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM completed_cases
