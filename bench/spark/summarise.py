#!/usr/bin/env python3
"""Summarises bench/spark/run.sh: volumes per minute per run, the per-volume cost, the model's load, Spark's
overhead, and an estimate of the throughput at 10 and 100 executors.

Usage: bench/spark/summarise.py OUT_DIR (the folder run.sh wrote)."""
import csv
import json
import math
import re
import statistics
import sys
from pathlib import Path

out = Path(sys.argv[1])
runs = {r["run"]: r for r in csv.DictReader(open(out / "runs.tsv"), delimiter="\t")}
volumes = sum(1 for line in open(out / "val.txt") if line.strip())
print((out / "header.txt").read_text().strip())
print()
print("| run | slots | wall s (process) | job s (Spark context to results) | volumes/min (process) | volumes/min (job) | "
      "median s/volume | first volume per executor, extra s | Spark overhead s | load before -> after |")
print("|---|---|---|---|---|---|---|---|---|---|")
rows = {}
for name, r in runs.items():
    wall = float(r["wall_seconds"])
    if r["exit"] != "0":
        print(f"| {name} | | {wall:.1f} | failed (exit {r['exit']}, see {name}.log) | | | | | | {r['load_before']} -> {r['load_after']} |")
        continue
    if name == "predict":
        # predict prints one line per volume: NAME -> TARGET (S s); what remains of the wall time is the JVM's start,
        # the engine's and the model's load
        times = [float(m.group(1)) for m in re.finditer(r"-> .* \(([0-9.]+) s\)", (out / "predict.log").read_text())]
        per = statistics.median(times)
        fixed = wall - sum(times)
        rows[name] = dict(slots=1, wall=wall, job=None, per=per, first=None, overhead=None, tasks=sum(times), fixed=fixed)
        print(f"| predict | 1 | {wall:.1f} | | {60 * volumes / wall:.2f} | | {per:.2f} | (start and load: {fixed:.1f} s) | | "
              f"{r['load_before']} -> {r['load_after']} |")
        continue
    job = json.load(open(out / name / "job.json"))
    by_executor = {}
    for v in csv.DictReader(open(out / name / "volumes.csv")):
        by_executor.setdefault(v["executor"], []).append(float(v["seconds"]))
    # a task's seconds: the first of each executor includes the SciJava context and the model's load
    rest = [s for times in by_executor.values() for s in times[1:]]
    per = statistics.median(rest)
    first = statistics.mean(times[0] for times in by_executor.values()) - per
    slots = 2 if name in ("local2", "cluster2") else 1
    tasks = job["segment_seconds_total"]
    # the job's time that no task used, per slot: Spark's start, executors' launch, scheduling, the end
    overhead = job["wall_seconds"] - tasks / slots
    rows[name] = dict(slots=slots, wall=wall, job=job["wall_seconds"], per=per, first=first, overhead=overhead, tasks=tasks)
    print(f"| {name} | {slots} | {wall:.1f} | {job['wall_seconds']:.1f} | {60 * volumes / wall:.2f} | {job['volumes_per_minute']:.2f} | "
          f"{per:.2f} | {first:.1f} | {overhead:.1f} | {r['load_before']} -> {r['load_after']} |")

print()
if "local1" in rows and "local2" in rows:
    speedup = rows["local1"]["job"] / rows["local2"]["job"]
    print(f"- local[2] over local[1] (job time): {speedup:.2f}x (ideal 2x: {100 * speedup / 2:.0f} %)")
if "predict" in rows and "local2" in rows:
    print(f"- local[2] over one single-threaded predict process (wall): {rows['predict']['wall'] / rows['local2']['wall']:.2f}x")
if "cluster1" in rows and "cluster2" in rows:
    print(f"- standalone 2 executors over 1 (job time): {rows['cluster1']['job'] / rows['cluster2']['job']:.2f}x")
for name in ("local1", "cluster1"):
    if name in rows and "predict" in rows:
        o = rows[name]["overhead"] / volumes
        print(f"- {name}: Spark's overhead {rows[name]['overhead']:.1f} s, {o:.2f} s per volume at most "
              f"({100 * o / rows[name]['per']:.1f} % of a volume's {rows[name]['per']:.2f} s; all of it counted per volume)")

base = rows.get("cluster1") or rows.get("local1")
if base:
    c, load, start = base["per"], base["first"], base["overhead"]
    print()
    print(f"Estimate (from {'cluster1' if 'cluster1' in rows else 'local1'}: {c:.2f} s per volume per one-core executor, "
          f"{load:.1f} s model load per executor, {start:.1f} s of Spark start per job; each executor reads its own volumes):")
    print()
    print("| executors | 1,000 volumes: wall min | volumes/min | 100,000 volumes: wall min | volumes/min |")
    print("|---|---|---|---|---|")
    for e in (1, 2, 10, 100):
        cells = []
        for n in (1000, 100000):
            wall = start + load + math.ceil(n / e) * c
            cells += [f"{wall / 60:.1f}", f"{60 * n / wall:.0f}"]
        print(f"| {e} | " + " | ".join(cells) + " |")
