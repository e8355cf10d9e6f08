-- id: pending_rectification_count
-- name: 待整改差评（未到期）
-- unit: 条
-- kind: count
-- better: none
-- table: 1
-- 口径: 本季度收到、统计截止时仍在整改期限内且尚未整改的差评条数，不计入差评整改率。
-- basis: 差评整改期限自评价之日起按工作日计算
SELECT SUM(CASE WHEN pending THEN 1 ELSE 0 END) AS numerator, 1 AS denominator
FROM bad_ratings
