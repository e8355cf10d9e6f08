-- id: upload_rate
-- name: 数据上传率
-- unit: %
-- kind: rate
-- better: higher
-- measure: upload
-- 口径: 本季度评价中已上传至全国政务服务“好差评”系统的比例。
-- basis: 国办发〔2019〕51号
-- target: 1.0
-- headline: 8
-- success: 上传{n}条评价
-- failure: 未上传评价{n}条
-- population: 有评价
SELECT SUM(CASE WHEN uploaded THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM ratings
