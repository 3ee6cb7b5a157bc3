#!/usr/bin/env python3
"""One summary line of a soak run (bench/soak/run.sh): exit status, JVM crash files, iterations, skipped
updates and their reasons, resident memory after warm-up and at the end, and its slope over the run.

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
    status = open(run + ".status").read().strip()
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
                reasons[re.sub(r"[-+0-9.eE]+|NaN|Infinity", "#", m.group(2))] += 1
    rows = []
    with open(run + ".rss.csv") as csv:
        next(csv)
        for row in csv:
            seconds, rss = row.strip().split(",")
            rows.append((int(seconds) / 3600.0, int(rss)))
    # the first 10 % of the run is warm-up (heap growth, allocator pools, the first PCSW refresh)
    warm = [p for p in rows if rows and p[0] >= 0.1 * rows[-1][0]]
    hours = rows[-1][0] if rows else 0.0
    after_warmup = warm[0][1] if warm else 0
    end = rows[-1][1] if rows else 0
    peak = max((r for _, r in rows), default=0)
    skipped = sum(reasons.values())
    print(f"{backbone}: exit {status}, crash files {len(crashes)}, {hours:.2f} h, {iterations} iterations, "
          f"skipped updates {skipped}" + (f" ({'; '.join(f'{n} x {r}' for r, n in reasons.items())})" if skipped else "")
          + f", RSS after warm-up {after_warmup} MB, end {end} MB, peak {peak} MB, slope {slope(warm):.0f} MB/h")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
