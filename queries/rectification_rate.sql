-- id: rectification_rate
-- name: 差评整改率
-- unit: %
-- kind: rate
-- better: higher
-- measure: unrectified
-- 口径: 本季度收到的差评中，已到整改期限或已整改的（到期差评）里已整改的比例；尚在整改期限内、未整改的差评（整改中）不计入。
-- basis: 国办发〔2019〕51号：差评100%整改
-- target: 1.0
-- headline: 6
-- success: 整改{n}条差评
-- failure: 到期未整改差评{n}条
-- population: 有到期差评
SELECT SUM(CASE WHEN due AND rectified THEN 1 ELSE 0 END) AS numerator,
       SUM(CASE WHEN due THEN 1 ELSE 0 END) AS denominator
FROM bad_ratings
