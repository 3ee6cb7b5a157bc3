#!/usr/bin/env python3
"""Each slice ranking against random labelling, over the recorded runs of the suggestion experiment, with its
standard error: the numbers behind bench/README.md's `acdc/suggest.sh` section.

Reads a CSV of runs (bench/acdc/suggest/runs-k10.csv: K = 10, from scratch, 3,000 iterations; one row per run:
split, arm, model, draw, seed, best, best_at, last, jar). `arm` is the ranking (score, spread, clusters, typical, oracle)
or `random`; `model` the suggesting model (`early`: the models of the first rankings; `M`: the models M1 and M of
the typical rows, named M on both splits; `M1b`: the split-1 model of fixed length, bench/out/m1-3000); `draw` the
random arm's RANDOM_SEED.

The estimate, per split and for the best and the last validation mean Dice:
- a ranking's mean over its seeds; random's mean over its draws of each draw's mean over its seeds;
- the seed variance pooled over every (arm, model, draw) group of the split with two or more seeds;
- the draw variance: the variance of random's draw means less what the seeds explain of it (zero if negative);
- the difference ranking - random, and its variance: seed variance / ranking's seeds + the variance of random's
  mean (per draw: seed variance / its seeds + draw variance, over the draws squared);
- a ranking with several suggesting models on a split also as model `all`: its models read as random's draws are
  (the mean of the models' means; their spread beyond the seeds' a variance of its own). A ranking measured on
  some splits only has no average.
Over the splits: the mean of the splits' differences (the target's "on average over splits 1 and 3"), its
standard error from theirs, and how many standard errors the target (+2) lies above it.

Usage: suggest-compare.py [CSV] [--target 2]
"""
import csv
import math
import os
import sys
from collections import defaultdict


def mean(xs):
    return sum(xs) / len(xs)


def pooled(samples, seed_var):
    """The mean of the samples' means, the variance of that mean and the variance between samples beyond what
    the seeds explain (zero if negative): for random's draws, or for one ranking's suggesting models."""
    means = [mean(xs) for xs in samples]
    centre = mean(means)
    between_var = 0.0
    if len(samples) > 1:
        between = sum((m - centre) ** 2 for m in means) / (len(samples) - 1)
        between_var = max(0.0, between - seed_var * mean([1 / len(xs) for xs in samples]))
    return centre, sum(seed_var / len(xs) + between_var for xs in samples) / len(samples) ** 2, between_var


def split_estimates(rows, column):
    """{(arm, model): (difference, variance, ranking mean, seeds, models)}, model "all" pooling an arm's models,
    and the split's (random mean, draws, runs, seed sd, draw sd) for one split's rows and one column (best or
    last)."""
    groups = defaultdict(list)
    for r in rows:
        groups[(r["arm"], r["model"], r["draw"])].append(float(r[column]))
    squares = sum(sum((x - mean(xs)) ** 2 for x in xs) for xs in groups.values() if len(xs) > 1)
    freedom = sum(len(xs) - 1 for xs in groups.values() if len(xs) > 1)
    if freedom == 0 or not any(arm == "random" for arm, _, _ in groups):
        sys.exit("suggest-compare.py: split %s needs a random arm and a group with two seeds or more" % rows[0]["split"])
    seed_var = squares / freedom
    draws = [xs for (arm, _, _), xs in groups.items() if arm == "random"]
    random_mean, random_var, draw_var = pooled(draws, seed_var)
    rankings = {}
    by_arm = defaultdict(list)
    for (arm, model, _), xs in groups.items():
        if arm != "random":
            rankings[(arm, model)] = (mean(xs) - random_mean, seed_var / len(xs) + random_var, mean(xs), len(xs), 1)
            by_arm[arm].append(xs)
    for arm, models in by_arm.items():
        # the suggesting model is drawn as random's slices are: a ranking over its models is read as random over
        # its draws, the models' spread beyond the seeds' counted as a variance of its own
        m, v, _ = pooled(models, seed_var)
        rankings[(arm, "all")] = (m - random_mean, v + random_var, m, sum(len(xs) for xs in models), len(models))
    runs = sum(len(xs) for xs in draws)
    return rankings, (random_mean, len(draws), runs, math.sqrt(seed_var), math.sqrt(draw_var))


def main(argv):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "suggest", "runs-k10.csv")
    target = 2.0
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--target":
            target = float(args.pop(0))
        else:
            path = a
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    splits = sorted({r["split"] for r in rows}, key=int)
    for column in ("best", "last"):
        print(f"## {column} validation mean Dice ({path})")
        per_split = {}
        for s in splits:
            rankings, (r_mean, n_draws, n_runs, seed_sd, draw_sd) = split_estimates(
                [r for r in rows if r["split"] == s], column)
            per_split[s] = rankings
            print(f"split {s}: random {r_mean:.2f} ({n_draws} draws, {n_runs} runs); seed sd {seed_sd:.2f},"
                  f" draw sd {draw_sd:.2f}")
        print("| ranking | model | " + " | ".join(f"split {s}" for s in splits) + " | mean difference | SE |"
              f" target {target:+g} lies |")
        print("|---|---|" + "---|" * len(splits) + "---|---|---|")
        for key in sorted({k for r in per_split.values() for k in r}):
            cells = [per_split[s].get(key) for s in splits]
            if key[1] == "all" and all(c is None or c[4] == 1 for c in cells):
                continue  # one suggesting model per split: its own row says it
            shown = " | ".join(f"{c[2]:.2f} ({c[0]:+.2f}, {c[3]} seeds)" if c else "-" for c in cells)
            if not all(cells):
                # a ranking measured on some splits only has no average over the splits
                print(f"| {key[0]} | {key[1]} | {shown} | - | - | - |")
                continue
            diff = mean([c[0] for c in cells])
            se = math.sqrt(sum(c[1] for c in cells)) / len(cells)
            print(f"| {key[0]} | {key[1]} | {shown} | **{diff:+.2f}** | {se:.2f} | {(target - diff) / se:+.1f} SE |")
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
