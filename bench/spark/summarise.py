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
      "median s/volume | first volume per executor, extra s | Spark overhead s | start to first task s | Spark s per volume | "
      "volumes/min (first task to last) | load before -> after |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
rows = {}
for name, r in runs.items():
    wall = float(r["wall_seconds"])
    if r["exit"] != "0":
        print(f"| {name} | | {wall:.1f} | failed (exit {r['exit']}, see {name}.log) | | | | | | | | | {r['load_before']} -> {r['load_after']} |")
        continue
    # RUN.K is RUN repeated (run.sh)
    kind = name.split(".")[0]
    if kind == "predict":
        # predict prints one line per volume: NAME -> TARGET (S s); what remains of the wall time is the JVM's start,
        # the engine's and the model's load
        times = [float(m.group(1)) for m in re.finditer(r"-> .* \(([0-9.]+) s\)", (out / f"{name}.log").read_text())]
        per = statistics.median(times)
        fixed = wall - sum(times)
        rows[name] = dict(slots=1, wall=wall, job=None, per=per, first=None, overhead=None, tasks=sum(times), fixed=fixed)
        rows[name]["steady"] = 60 * len(times) / sum(times)
        print(f"| {name} | 1 | {wall:.1f} | | {60 * volumes / wall:.2f} | | {per:.2f} | (start and load: {fixed:.1f} s) | | | | "
              f"{rows[name]['steady']:.2f} | {r['load_before']} -> {r['load_after']} |")
        continue
    if kind == "predict2":
        # two predict processes side by side: each one's rate over its own volumes, added
        logs = [(out / f"{name}-{half}.log").read_text() for half in ("a", "b")]
        halves = [[float(m.group(1)) for m in re.finditer(r"-> .* \(([0-9.]+) s\)", text)] for text in logs]
        times = halves[0] + halves[1]
        per = statistics.median(times)
        steady = sum(60 * len(h) / sum(h) for h in halves)
        rows[name] = dict(slots=2, wall=wall, job=None, per=per, first=None, overhead=None, tasks=sum(times), steady=steady)
        print(f"| {name} | 2 | {wall:.1f} | | {60 * volumes / wall:.2f} | | {per:.2f} | | | | | {steady:.2f} | "
              f"{r['load_before']} -> {r['load_after']} |")
        continue
    job = json.load(open(out / name / "job.json"))
    by_executor = {}
    spans = []
    for v in csv.DictReader(open(out / name / "volumes.csv")):
        begin = int(v["started_ms"]) / 1000
        by_executor.setdefault(v["executor"], []).append((begin, float(v["seconds"])))
        spans.append((begin, begin + float(v["seconds"])))
    # in the order each executor ran them (the job runs the largest volumes first, not in list order)
    by_executor = {e: [s for _, s in sorted(runs)] for e, runs in by_executor.items()}
    # a task's seconds: the first of each executor includes the SciJava context and the model's load
    rest = [s for times in by_executor.values() for s in times[1:]]
    per = statistics.median(rest)
    first = statistics.mean(times[0] for times in by_executor.values()) - per
    slots = 2 if kind in ("local2", "cluster2", "submit2") else 1
    tasks = job["segment_seconds_total"]
    # the job's time that no task used, per slot: Spark's start, executors' launch, scheduling, the end
    overhead = job["wall_seconds"] - tasks / slots
    # from the first task's start to the last one's end every slot is busy but for Spark's cost per task (scheduling,
    # results back to the driver) and the last tasks' imbalance: that idle time per volume is Spark's cost per volume
    job_start = job["started_ms"] / 1000
    first_start, last_end = min(b for b, _ in spans), max(e for _, e in spans)
    gap = (slots * (last_end - first_start) - tasks) / len(spans)
    rows[name] = dict(slots=slots, wall=wall, job=job["wall_seconds"], per=per, first=first, overhead=overhead, tasks=tasks,
                      startup=first_start - job_start, gap=gap, steady=len(spans) / (last_end - first_start) * 60)
    print(f"| {name} | {slots} | {wall:.1f} | {job['wall_seconds']:.1f} | {60 * volumes / wall:.2f} | {job['volumes_per_minute']:.2f} | "
          f"{per:.2f} | {first:.1f} | {overhead:.1f} | {rows[name]['startup']:.1f} | {gap:.3f} | {rows[name]['steady']:.2f} | "
          f"{r['load_before']} -> {r['load_after']} |")



def ratio(text, faster, slower, key, ideal=None):
    """One line: rows[faster][key] over rows[slower][key] (a time: slower over faster), when both ran."""
    if faster in rows and slower in rows:
        r = rows[slower][key] / rows[faster][key] if key in ("wall", "job") else rows[faster][key] / rows[slower][key]
        print(f"- {text}: {r:.2f}x" + (f" (ideal {ideal}x: {100 * r / ideal:.0f} %)" if ideal else ""))


print()
ratio("local[2] over local[1] (job time)", "local2", "local1", "job", ideal=2)
ratio("local[2] over one single-threaded predict process (wall)", "local2", "predict", "wall")
ratio("standalone 2 executors over 1 (job time)", "cluster2", "cluster1", "job")
ratio("two predict processes side by side over one (volumes per minute, fixed costs left out; what two cores of this machine "
      "give without Spark)", "predict2", "predict", "steady")
ratio("local[2] over two predict processes side by side (volumes per minute)", "local2", "predict2", "steady")
ratio("local[2] over one single-threaded predict process (volumes per minute from first volume to last, fixed costs left out)",
      "local2", "predict", "steady", ideal=2)
# repeated runs: each local2.K over the predict.K of the same repetition (the machine's speed drifts between runs)
repetitions = []
for name in rows:
    if name.split(".")[0] == "local2":
        suffix = name[len("local2"):]
        if "predict" + suffix in rows:
            ceiling = rows.get("predict2" + suffix)
            repetitions.append((name, rows[name]["steady"] / rows["predict" + suffix]["steady"],
                                ceiling["steady"] / rows["predict" + suffix]["steady"] if ceiling else None))
if len(repetitions) > 1:
    for name, r, c in repetitions:
        print(f"- {name} over predict{name[len('local2'):]}: {r:.2f}x" + (f" (two processes {c:.2f}x)" if c else ""))
    print(f"- median over {len(repetitions)} repetitions: {statistics.median(r for _, r, _ in repetitions):.2f}x, "
          f"range {min(r for _, r, _ in repetitions):.2f}-{max(r for _, r, _ in repetitions):.2f}x (target 1.8x)")
for name in ("local1", "local2", "cluster1", "cluster2", "submit2"):
    if name in rows:
        o = rows[name]["overhead"] / volumes
        print(f"- {name}: Spark's cost per volume between tasks {rows[name]['gap']:.3f} s ({100 * rows[name]['gap'] / rows[name]['per']:.1f} % "
              f"of a volume's {rows[name]['per']:.2f} s); with the job's fixed costs spread over the {volumes} volumes {o:.2f} s "
              f"({100 * o / rows[name]['per']:.1f} %)")

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
