"""Differential check: pingjia's indicator table against the DuckDB implementation.

Usage: compare_indicators.py PINGJIA_INDICATORS.csv DUCKDB.csv

Compares numerators and denominators of every (quarter, level, key, indicator) at the
city and region levels; they must be equal (both are sums of integers). A group present
on one side only is accepted when it holds nothing — numerator 0 and denominator 0, or
numerator 0 for a count — since one engine may list an empty group the other leaves out.
Exits 1 and prints the differences otherwise.
"""

import sys

import duckdb

pingjia, other = sys.argv[1:3]
con = duckdb.connect()
rows = con.execute(
    f"""
    WITH p AS (
      SELECT quarter, level, CAST(key AS VARCHAR) AS key, indicator,
             CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator
      FROM read_csv('{pingjia}', header = true, all_varchar = true)
      WHERE level IN ('city', 'region')
    ), d AS (
      SELECT quarter, level, CAST(key AS VARCHAR) AS key, indicator, numerator, denominator
      FROM read_csv('{other}', header = true, types = {{'key': 'VARCHAR'}})
    ), j AS (
      SELECT COALESCE(p.quarter, d.quarter) AS quarter, COALESCE(p.level, d.level) AS level,
             COALESCE(p.key, d.key) AS key, COALESCE(p.indicator, d.indicator) AS indicator,
             p.numerator AS p_num, p.denominator AS p_den,
             d.numerator AS d_num, d.denominator AS d_den
      FROM p FULL OUTER JOIN d USING (quarter, level, key, indicator)
    )
    SELECT *, (SELECT COUNT(*) FROM j) AS compared FROM j
    WHERE NOT (
      (p_num IS NOT NULL AND d_num IS NOT NULL AND p_num = d_num AND p_den = d_den)
      OR (p_num IS NULL AND d_num = 0 AND (d_den = 0 OR d_den = 1))
      OR (d_num IS NULL AND p_num = 0 AND (p_den = 0 OR p_den = 1))
    )
    ORDER BY ALL
    """
).fetchall()
compared = con.execute(
    f"SELECT COUNT(*) FROM read_csv('{other}', header = true)"
).fetchone()[0]
if rows:
    print(f"{len(rows)} differences (quarter, level, key, indicator, pingjia n/d, duckdb n/d):")
    for r in rows[:40]:
        print("  ", r[:4], f"pingjia {r[4]}/{r[5]}", f"duckdb {r[6]}/{r[7]}")
    sys.exit(1)
print(f"identical numerators and denominators: {compared} DuckDB rows compared")
