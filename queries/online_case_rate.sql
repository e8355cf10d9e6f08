-- id: online_case_rate
-- name: 网上办件率
-- unit: %
-- kind: rate
-- chart: ranking trend
-- draft: ranking
-- better: higher
-- 口径: 本季度受理的办件中，通过电脑端网上办理或移动端申办的办件所占比例。
-- basis: 办理形式见GB/T 39046—2020 附录A.5
-- headline: 3
-- success: 网上办理{n}件
SELECT SUM(CASE WHEN online THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM accepted_cases
