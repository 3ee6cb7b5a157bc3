"""Summarises bench/acdc/run.sh logs as a Markdown table (standard library only).

Usage: summarise.py OUT_DIR MODE...
Reads OUT_DIR/MODE.log, the trainer's progress output: the "validation at N: Dice ... rss M MB" lines,
the "iter" lines' s/it and the final "done:" line; and OUT_DIR/MODE.cpu, the aggregate "cpu" line of
/proc/stat before and after the run (run.sh writes it).

Two columns tell how fast the machine was, since a wall-clock budget makes every result depend on it:
"warm-up s/it", the median step time logged over iterations 100-300 while the unlabelled loss is still
off ("u -"): supervised steps of the same batches in every U-Net mode, so it compares machines, not
modes; and the share of CPU time the hypervisor stole from the machine during the run.
"""
import re
import sys

VALIDATION = re.compile(r"validation at (\d+): Dice (.*?)  mean ([0-9.]+)  \(best ([0-9.]+) at (\d+), [0-9.]+ s\)(?:  rss (\d+) MB)?(?:  heap (\d+) MB)?")
DONE = re.compile(r"done: (\d+) iterations in ([0-9.]+) s")
SUPERVISED_STEP = re.compile(r"^iter (\d+)/\d+ .*?, u -\) .*?  ([0-9.]+) s/it", re.MULTILINE)


def warm_up_seconds(text):
    """Median logged s/it of the supervised steps among iterations 100-300, or None."""
    times = sorted(float(m.group(2)) for m in SUPERVISED_STEP.finditer(text) if 100 <= int(m.group(1)) <= 300)
    return times[len(times) // 2] if times else None


def steal_percent(path):
    """Stolen share of all CPU time between the two "cpu" lines of /proc/stat in path, or None."""
    try:
        lines = [l.split() for l in open(path, encoding="ascii") if l.startswith("cpu ")]
    except OSError:
        return None
    if len(lines) < 2:
        return None
    # user nice system idle iowait irq softirq steal (guest time is already in user)
    before, after = ([int(v) for v in l[1:9]] for l in lines[:2])
    total = sum(after) - sum(before)
    return 100.0 * (after[7] - before[7]) / total if total > 0 else None


def summarise(out, mode):
    path = "%s/%s.log" % (out, mode)
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        return "| %s | no log (%s) |" % (mode, e)
    rows = [m for m in VALIDATION.finditer(text)]
    done = DONE.search(text)
    if not rows:
        tail = text.strip().splitlines()[-1:] or ["empty log"]
        return "| %s | no validation yet: %s |" % (mode, tail[0][:120])
    last = rows[-1]
    # the trainer's own best (its "best X at N", compared at full precision): the checkpoint best.sss holds; the
    # logged means have four digits, so a maximum taken here could pick an earlier tie
    best = next((m for m in rows if m.group(1) == last.group(5)), None) or max(rows, key=lambda m: float(m.group(3)))
    classes = " / ".join("%.1f" % (100 * float(v)) for v in re.findall(r"[0-9.]+", best.group(2))[-3:])
    iterations = int(done.group(1)) if done else int(last.group(1))
    seconds = float(done.group(2)) if done else float("nan")
    rss = [m.group(6) for m in rows if m.group(6)]
    # committed heap, where logged: the resident set minus it is (a lower bound of) the native side
    native = [int(m.group(6)) - int(m.group(7)) for m in rows if m.group(6) and m.group(7)]
    memory = "-"
    if rss:
        memory = rss[0] + " -> " + rss[-1] + (" (native %d -> %d)" % (native[0], native[-1]) if native else "")
    # one validation can stand well above its neighbours (the micro SAM-2's do): the mean over the last third of the
    # iterations (about the last 20 minutes of an hour's run) says where a run settled
    settled = [100 * float(m.group(3)) for m in rows if 3 * int(m.group(1)) > 2 * iterations]
    warm_up, steal = warm_up_seconds(text), steal_percent("%s/%s.cpu" % (out, mode))
    return "| %s | %d | %.2f | %s | %.1f | %d | %.1f | %s | %s | %s | %s |" % (
        mode, iterations, seconds / iterations if iterations else float("nan"), classes, 100 * float(best.group(3)),
        int(best.group(1)), 100 * float(last.group(3)),
        "%.1f (%d)" % (sum(settled) / len(settled), len(settled)) if settled else "-", memory,
        "-" if warm_up is None else "%.2f" % warm_up, "-" if steal is None else "%.1f" % steal)


def main():
    out, modes = sys.argv[1], sys.argv[2:]
    print("| mode | iterations | s/it (incl. validation) | best val Dice RV / Myo / LV | best mean | at it | last mean | mean over the last third of the iterations (validations) | RSS MB first -> last validation (RSS - committed heap) | warm-up s/it | CPU steal % |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for mode in modes:
        print(summarise(out, mode))


if __name__ == "__main__":
    main()
