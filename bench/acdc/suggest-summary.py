#!/usr/bin/env python3
"""The table of the slice-suggestion experiment (bench/acdc/suggest.sh): per arm and seed the best validation
mean Dice (with its iteration) and the last one, read from each run's log; then per arm the means over the seeds
and the difference of each other arm (suggested, mixed) from random, where both ran the same seeds.

Usage: suggest-summary.py OUT
"""
import glob
import os
import re
import sys


def scores(log):
    """(best, best iteration, last) validation mean Dice of one training log, or None if it never validated."""
    validations = []  # (iteration, mean, the trainer's best iteration so far)
    with open(log, errors="replace") as f:
        for line in f:
            m = re.match(r"validation at (\d+): .*?mean ([0-9.]+)  \(best [0-9.]+ at (\d+)", line)
            if m:
                validations.append((int(m.group(1)), float(m.group(2)), int(m.group(3))))
    if not validations:
        return None
    # the trainer's own best, compared at full precision (the checkpoint best.sss holds); the logged means have
    # four digits, so a maximum taken here could pick an earlier tie
    means = {v[0]: v[1] for v in validations}
    chosen = validations[-1][2]
    best = (chosen, means[chosen]) if chosen in means else max(means.items(), key=lambda v: (v[1], -v[0]))
    return best[1], best[0], validations[-1][1]


def main(out):
    table = {}  # arm -> {seed: (best, best iteration, last)}
    print("| arm | seed | best mean Dice (iteration) | last |")
    print("|---|---|---|---|")
    for arm in ("suggested", "random", "mixed"):
        for log in sorted(glob.glob(os.path.join(out, arm, "seed-*.log"))):
            seed = os.path.basename(log)[len("seed-"):-len(".log")]
            s = scores(log)
            if s is None:
                print(f"| {arm} | {seed} | (no validation yet) | |")
                continue
            table.setdefault(arm, {})[seed] = s
            print(f"| {arm} | {seed} | {100 * s[0]:.2f} ({s[1]}) | {100 * s[2]:.2f} |")
    means = {arm: (sum(s[0] for s in v.values()) / len(v), sum(s[2] for s in v.values()) / len(v))
             for arm, v in table.items()}
    for arm, (best, last) in means.items():
        print(f"{arm}: mean best {100 * best:.2f}, mean last {100 * last:.2f} over {len(table[arm])} seeds")
    for arm in ("suggested", "mixed"):
        if arm in table and "random" in table and table[arm].keys() == table["random"].keys():
            print(f"{arm} - random: best {100 * (means[arm][0] - means['random'][0]):+.2f},"
                  f" last {100 * (means[arm][1] - means['random'][1]):+.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
