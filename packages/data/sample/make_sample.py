"""Rebuilds arena-sample.csv: 200 rows of ../shared/data/arena/train_dev.csv, picked with a fixed seed.

Run from packages/data:  python3 sample/make_sample.py ../../../shared/data/arena/train_dev.csv sample/arena-sample.csv
"""
import csv
import random
import sys

csv.field_size_limit(sys.maxsize)
source, target = sys.argv[1], sys.argv[2]
with open(source, newline="", encoding="utf-8") as f:
    header, *rows = list(csv.reader(f))
picked = sorted(random.Random(2024).sample(range(len(rows)), 200))
with open(target, "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f, lineterminator="\r\n")  # the source file's own line ending
    writer.writerow(header)
    writer.writerows(rows[i] for i in picked)
