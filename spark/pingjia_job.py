"""pingjia indicators on Apache Spark.

Emitted by `pingjia spark-job`; everything it needs sits beside it:

    enrich.sql     the enriched views (docs/SPEC.md §3), Spark SQL
    plan.json      the indicator aggregations (SQL built by pingjia from queries/*.sql),
                   levels, names of the indicators, and the settings baked in
    queries/       the indicator files the plan was built from (for reference)
    calendar.csv   W(d): working days up to and including each day (State Council schedule)
    regions.csv    GB/T 2260 names of the province, city and district keys

Run it with

    spark-submit pingjia_job.py CANONICAL_DIR OUT_TABLE.parquet [--master local[2]]

where CANONICAL_DIR holds matters.parquet, cases.parquet and ratings.parquet as written by
`pingjia export-canonical DATA --out CANONICAL_DIR` (a local path, hdfs:// or s3a://).
The output is the long indicator table of docs/SPEC.md §4 — quarter, level, key, name, indicator,
numerator, denominator, value, unit — for `pingjia report --indicators OUT_TABLE.parquet`.
"""

import argparse
import csv
import datetime
import json
import os
from functools import reduce

from pyspark.sql import SparkSession, functions as F

HERE = os.path.dirname(os.path.abspath(__file__))

# The key of each level, from the grain's columns (as in src/indicators/mod.rs).
LEVEL_KEYS = {
    "province": "CONCAT(SUBSTR(region_code, 1, 2), '0000')",
    "city": "CONCAT(SUBSTR(region_code, 1, 4), '00')",
    "region": "region_code",
    "department": "CONCAT(region_code, '/', department)",
    "matter": "CONCAT(region_code, '/', matter_code)",
    # 乡镇/街道: the 9-digit code; cases at the district itself under <district>000.
    "township": "COALESCE(township_code, CONCAT(region_code, '000'))",
}


def read_text(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read()


def rows(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def statements(sql):
    """Splits a file of `;`-terminated statements, dropping `--` comment lines."""
    lines = [l for l in sql.splitlines() if not l.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("canonical", help="folder with matters/cases/ratings.parquet")
    parser.add_argument("out", help="where to write the indicator table (Parquet)")
    parser.add_argument("--master", help="Spark master, e.g. local[2] (default: spark-submit's)")
    args = parser.parse_args()

    plan = json.loads(read_text("plan.json"))
    builder = SparkSession.builder.appName("pingjia indicators")
    if args.master:
        builder = builder.master(args.master)
    spark = (
        builder.config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(plan.get("shuffle_partitions", 8)))
        .getOrCreate()
    )

    for table in ("matters", "cases", "ratings"):
        path = os.path.join(args.canonical, f"{table}.parquet")
        spark.read.parquet(path).createOrReplaceTempView(f"{table}_raw")
    # The two small reference tables travel with the job, not with the data: read here on
    # the driver, so the job runs the same on a cluster and in local mode.
    calendar = [(datetime.date.fromisoformat(r["day"]), int(r["w"])) for r in rows("calendar.csv")]
    spark.createDataFrame(calendar, "day DATE, w INT").createOrReplaceTempView("calendar")
    regions = spark.createDataFrame([(r["code"], r["name"]) for r in rows("regions.csv")], "code STRING, name STRING")

    as_of = plan.get("as_of")
    enrich = (
        read_text("enrich.sql")
        .replace("${rectification_days}", str(int(plan["rectification_days"])))
        .replace("${count_default_ratings}", "TRUE" if plan.get("count_default_ratings") else "FALSE")
        .replace("${as_of}", f"TIMESTAMP '{as_of}'" if as_of else "CAST(NULL AS TIMESTAMP)")
    )
    for statement in statements(enrich):
        spark.sql(statement)
    for view in ("accepted_cases", "completed_cases", "open_cases_at_quarter_end", "ratings", "bad_ratings", "matters"):
        spark.table(view).cache()

    # Each aggregation runs once at the grain; its rows are then repeated once per level
    # (explode) and summed, and the n_/d_ columns turned into one row per indicator
    # (stack): one small plan per aggregation, as in the engine's merged plan.
    indicators = plan["indicators"]
    levels = F.array(*[
        F.struct(F.lit(l).alias("level"), F.expr(LEVEL_KEYS[l]).alias("key")) for l in plan["levels"]
    ])
    units = spark.createDataFrame([(i["id"], i["unit"]) for i in indicators], "indicator STRING, unit STRING")
    parts = []
    for agg in plan["aggregations"]:
        grain = spark.sql(agg["sql"])
        summed = [c for c in grain.columns if c.startswith("n_") or c.startswith("d_")]
        rolled = (
            grain.select("quarter", F.explode(levels).alias("lk"), *summed)
            .select("quarter", "lk.level", "lk.key", *summed)
            .groupBy("quarter", "level", "key")
            .agg(*[F.sum(F.col(c).cast("double")).alias(c) for c in summed])
        )

        def part(p):
            if "column" in p:
                return f"CAST({p['column']} AS DOUBLE)"
            return f"CAST({float(p['constant'])!r} AS DOUBLE)"

        members = agg["members"]
        stack = ", ".join(
            f"'{indicators[m['index']]['id']}', {part(m['numerator'])}, {part(m['denominator'])}"
            for m in members
        )
        parts.append(
            rolled.selectExpr(
                "quarter",
                "level",
                "key",
                f"stack({len(members)}, {stack}) AS (indicator, numerator, denominator)",
            )
        )
    table = reduce(lambda a, b: a.unionByName(b), parts).join(F.broadcast(units), "indicator")
    table = table.withColumn("numerator", F.coalesce("numerator", F.lit(0.0))).withColumn(
        "denominator", F.coalesce("denominator", F.lit(0.0))
    )
    quarters = [r.quarter for r in spark.table("data_quarters").collect()]
    table = table.where(F.col("key").isNotNull() & F.col("quarter").isin(quarters))

    # Names: GB/T 2260 for areas, the part after '/' for departments, the catalogue for
    # matters; the key itself when nothing is known.
    matter_names = spark.sql(
        "SELECT CONCAT(region_code, '/', matter_code) AS key, matter_name AS name FROM latest_matters"
    )
    area = table.where(F.col("level").isin("province", "city", "region")).join(regions.withColumnRenamed("code", "key"), "key", "left")
    department = table.where(F.col("level") == "department").withColumn("name", F.expr("SUBSTR(key, INSTR(key, '/') + 1)"))
    matter = table.where(F.col("level") == "matter").join(matter_names, "key", "left")
    named = area.unionByName(department).unionByName(matter).withColumn("name", F.coalesce(F.col("name"), F.col("key")))

    result = named.select(
        "quarter",
        "level",
        "key",
        "name",
        "indicator",
        "numerator",
        "denominator",
        F.when(F.col("denominator") == 0, F.lit(None).cast("double"))
        .otherwise(F.col("numerator") / F.col("denominator"))
        .alias("value"),
        "unit",
    ).orderBy("quarter", "level", "key", "indicator")
    result.coalesce(1).write.mode("overwrite").parquet(args.out)
    print(f"wrote {args.out}: {result.count()} rows")
    spark.stop()


if __name__ == "__main__":
    main()
