"""Reference loader for the load benchmark: Python's C `csv` reader + `json.loads` of the three turn cells.

Prints one JSON object: rows, seconds, rowsPerSecond, peakRssBytes. Usage: python3 python_csv_json.py <file.csv>
"""
import csv
import json
import resource
import sys
import time

csv.field_size_limit(sys.maxsize)
start = time.perf_counter()
rows = []
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    header = next(reader)
    p, a, b = header.index("prompt"), header.index("response_a"), header.index("response_b")
    for row in reader:
        rows.append((row[0], json.loads(row[p]), json.loads(row[a]), json.loads(row[b]), row[6:]))
seconds = time.perf_counter() - start
print(json.dumps({
    "rows": len(rows),
    "seconds": seconds,
    "rowsPerSecond": len(rows) / seconds,
    "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
