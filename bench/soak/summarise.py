#!/usr/bin/env python3
"""One summary line of a soak run (bench/soak/run.sh): exit status, JVM crash files, iterations, skipped
updates and their reasons, resident memory after warm-up and at the end, and its slope over the run; for a run
resumed in later processes (RESUME=1), the hours in all and the memory figures per process.

Usage: summarise.py BACKBONE RUN   (RUN.log, RUN.rss.csv, RUN.status and RUN.cwd/ as run.sh leaves them)
"""
import collections
import glob
import re
import sys


def slope(points):
    """Least-squares slope of (x, y) points, in y per x; 0 for fewer than two points."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return 0.0 if sxx == 0 else sum((x - mx) * (y - my) for x, y in points) / sxx


def main(backbone, run):
    # one exit status per process
    status = ", ".join(open(run + ".status").read().split())
    crashes = sorted(glob.glob(run + ".cwd/hs_err_pid*.log"))
    iterations = 0
    reasons = collections.Counter()
    with open(run + ".log", errors="replace") as log:
        for line in log:
            m = re.match(r"iter (\d+)/", line)
            if m:
                iterations = max(iterations, int(m.group(1)))
            m = re.match(r"done: (\d+) iterations", line)
            if m:
                iterations = max(iterations, int(m.group(1)))
            m = re.match(r"iteration (\d+): update skipped, (.*)", line)
            if m:
                # the reason without its numbers, so that alike reasons count together
                reasons[re.sub(r"-?Infinity|NaN|[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", "#", m.group(2))] += 1
    parts = collections.OrderedDict()
    with open(run + ".rss.csv") as csv:
        next(csv)
        for row in csv:
            cells = row.strip().split(",")
            # samples of runs.sh before RESUME have no part: one process
            parts.setdefault(int(cells[2]) if len(cells) > 2 else 1, []).append((int(cells[0]) / 3600.0, int(cells[1])))
    memory = []
    hours = 0.0
    for part, rows in parts.items():
        # the first 10 % of a process is warm-up (heap growth, allocator pools, the first PCSW refresh)
        warm = [p for p in rows if p[0] >= 0.1 * rows[-1][0]]
        hours += rows[-1][0]
        memory.append(f"RSS after warm-up {warm[0][1] if warm else 0} MB, end {rows[-1][1]} MB, peak {max(r for _, r in rows)} MB, "
                      f"slope {slope(warm):.0f} MB/h" + (f" (process {part}, {rows[-1][0]:.2f} h)" if len(parts) > 1 else ""))
    skipped = sum(reasons.values())
    print(f"{backbone}: exit {status}, crash files {len(crashes)}, {hours:.2f} h, {iterations} iterations, "
          f"skipped updates {skipped}" + (f" ({'; '.join(f'{n} x {r}' for r, n in reasons.items())})" if skipped else "")
          + ", " + "; ".join(memory))

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
