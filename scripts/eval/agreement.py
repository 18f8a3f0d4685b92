#!/usr/bin/env python3
"""Agreement between two rankers' score maps over the same images, from `ltrp keep` JSON lines.

    scripts/eval/agreement.py RANKER.jsonl TEACHER.jsonl [KEEP_RATIO]

Both files are `bin/ltrp keep ... > FILE` outputs over the same images (e.g. the default ranker
and `--baseline oracle`, the teacher's full score map). Prints one JSON line: the mean Kendall
tau-b between the two maps of each image, and the mean overlap of their top-K patches (K = round
of KEEP_RATIO times the patches, default 0.25) beside the overlap two random top-K sets have
(K/L). Standard library only (no SciPy on the CI machines).
"""
import json
import sys


def kendall_tau_b(x, y):
    n = len(x)
    concordant = discordant = ties_x = ties_y = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx = (x[i] > x[j]) - (x[i] < x[j])
            dy = (y[i] > y[j]) - (y[i] < y[j])
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif dx == dy:
                concordant += 1
            else:
                discordant += 1
    denom = ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)) ** 0.5
    return (concordant - discordant) / denom if denom else float("nan")


def read(path):
    maps = {}
    with open(path) as f:
        for line in f:
            record = json.loads(line)
            if "image" in record:
                maps[record["image"]] = record["scores"]
    return maps


def main():
    a, b = read(sys.argv[1]), read(sys.argv[2])
    ratio = float(sys.argv[3]) if len(sys.argv) > 3 else 0.25
    common = sorted(set(a) & set(b))
    if not common:
        sys.exit("no image is in both files")
    taus, overlaps = [], []
    for image in common:
        x, y = a[image], b[image]
        if len(x) != len(y):
            sys.exit(f"{image}: {len(x)} scores against {len(y)}: different grids")
        k = max(1, round(ratio * len(x)))
        top = lambda s: set(sorted(range(len(s)), key=lambda i: -s[i])[:k])
        taus.append(kendall_tau_b(x, y))
        overlaps.append(len(top(x) & top(y)) / k)
    print(json.dumps({
        "images": len(common),
        "kendall_tau_b": sum(taus) / len(taus),
        "top_k_overlap": sum(overlaps) / len(overlaps),
        "top_k_overlap_chance": max(1, round(ratio * len(a[common[0]]))) / len(a[common[0]]),
    }))


if __name__ == "__main__":
    main()
