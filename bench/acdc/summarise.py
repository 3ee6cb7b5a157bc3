"""Summarises bench/acdc/run.sh logs as a Markdown table (standard library only).

Usage: summarise.py OUT_DIR MODE...
Reads OUT_DIR/MODE.log, the trainer's progress output: the "validation at N: Dice ... rss M MB" lines,
the last "iter" line's s/it and the final "done:" line.
"""
import re
import sys

VALIDATION = re.compile(r"validation at (\d+): Dice (.*?)  mean ([0-9.]+)  \(best ([0-9.]+) at (\d+), [0-9.]+ s\)(?:  rss (\d+) MB)?(?:  heap (\d+) MB)?")
DONE = re.compile(r"done: (\d+) iterations in ([0-9.]+) s")


def summarise(path, mode):
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        return "| %s | no log (%s) |" % (mode, e)
    rows = [m for m in VALIDATION.finditer(text)]
    done = DONE.search(text)
    if not rows:
        tail = text.strip().splitlines()[-1:] or ["empty log"]
        return "| %s | no validation yet: %s |" % (mode, tail[0][:120])
    best = max(rows, key=lambda m: float(m.group(3)))
    last = rows[-1]
    classes = " / ".join("%.1f" % (100 * float(v)) for v in re.findall(r"[0-9.]+", best.group(2))[-3:])
    iterations = int(done.group(1)) if done else int(last.group(1))
    seconds = float(done.group(2)) if done else float("nan")
    rss = [m.group(6) for m in rows if m.group(6)]
    # committed heap, where logged: the resident set minus it is (a lower bound of) the native side
    native = [int(m.group(6)) - int(m.group(7)) for m in rows if m.group(6) and m.group(7)]
    memory = "-"
    if rss:
        memory = rss[0] + " -> " + rss[-1] + (" (native %d -> %d)" % (native[0], native[-1]) if native else "")
    return "| %s | %d | %.2f | %s | %.1f | %d | %.1f | %s |" % (
        mode, iterations, seconds / iterations if iterations else float("nan"), classes, 100 * float(best.group(3)),
        int(best.group(1)), 100 * float(last.group(3)), memory)


def main():
    out, modes = sys.argv[1], sys.argv[2:]
    print("| mode | iterations | s/it (incl. validation) | best val Dice RV / Myo / LV | best mean | at it | last mean | RSS MB first -> last validation (RSS - committed heap) |")
    print("|---|---|---|---|---|---|---|---|")
    for mode in modes:
        print(summarise("%s/%s.log" % (out, mode), mode))


if __name__ == "__main__":
    main()
