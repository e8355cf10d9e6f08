-- id: online_case_rate
-- name: 网上办件率
-- unit: %
-- better: higher
-- 口径: 本季度受理的办件中，通过电脑端网上办理或移动端申办的办件所占比例。
-- basis: SPEC §4; 办理形式 GB/T 39046 A.5
SELECT SUM(CASE WHEN online THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM accepted_cases
