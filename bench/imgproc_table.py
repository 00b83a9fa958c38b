#!/usr/bin/env python3
"""Formats build/bin/bench_imgproc's output as the README's table.

    build/bin/bench_imgproc --seconds 0.1 > bench.txt && bench/imgproc_table.py bench.txt

One row per operation, one column per image ("1 thread / 2 threads" ratios ojo/OpenCV), then the
geometric means of the row at 1 and at 2 threads; the summary line counts the cases at or below 1.0.
"""
import math
import re
import sys

IMAGES = ["1080p gray", "1080p rgb", "2160p gray", "2160p rgb"]
LINE = re.compile(r"^(?P<op>.+?) \| (?P<image>\d+p \w+) \| (?P<t>[12])t\s+\S+ \S+\s+\S+ \S+\s+(?P<ratio>[0-9.]+)")


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def main(path):
    ratios, order, overall = {}, [], None
    for line in open(path):
        if line.startswith("geomean ratio"):
            overall = float(line.split()[-1])
        m = LINE.match(line)
        if not m:
            continue
        op = m["op"].strip()
        if op not in ratios:
            ratios[op] = {}
            order.append(op)
        ratios[op][(m["image"], m["t"])] = float(m["ratio"])
    print("| operation | " + " | ".join(IMAGES) + " | geomean 1t | geomean 2t |")
    print("| --- |" + " ---: |" * (len(IMAGES) + 2))
    every = []
    for op in order:
        r = ratios[op]
        cells = []
        for image in IMAGES:
            one, two = r.get((image, "1")), r.get((image, "2"))
            cells.append("—" if one is None else f"{one:.2f} / {two:.2f}")
        by_threads = [geomean([v for (img, t), v in r.items() if t == n]) for n in "12"]
        print(f"| {op} | " + " | ".join(cells) + f" | {by_threads[0]:.2f} | {by_threads[1]:.2f} |")
        every += r.values()
    at_most_one = sum(v <= 1.0 for v in every)
    ones = [v for op in order for (img, t), v in ratios[op].items() if t == "1"]
    twos = [v for op in order for (img, t), v in ratios[op].items() if t == "2"]
    print(f"\nAll {len(every)} cases: geomean ratio **{overall if overall else geomean(every):.3f}** "
          f"(1 thread {geomean(ones):.2f}, 2 threads {geomean(twos):.2f}); {at_most_one} of {len(every)} "
          f"cases at or below 1.0.")


if __name__ == "__main__":
    main(sys.argv[1])
