"""How each page grows with the data: pages.py's results at several scales side by side.

    .venv/bin/python bench/scale/growth.py 0.1 0.3 1

For every page: the sequential p95 and the query count at each scale, and the ratio of the
largest scale's to the smallest's. With 10 times the rows, a page bound by its indexes keeps a
ratio near 1 (and the same query count); a ratio near 10 means it reads rows in proportion to a
table. Pages whose p95 ratio is at least 2, or whose query count changed, are marked. Prints
Markdown and writes bench/results/growth.md.
"""

import argparse
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "results"
#: A p95 ratio from here on marks a page as growing with the data.
GROWING = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scales", nargs="+", help="scales measured by pages.py, smallest first")
    args = parser.parse_args()
    runs = []
    for scale in args.scales:
        path = RESULTS / f"pages-{float(scale):g}.json"
        if not path.exists():
            print(f"{path} is missing: run pages.py --scale {scale} first.", file=sys.stderr)
            return 2
        runs.append(json.loads(path.read_text()))
    by_page = [{row["page"]: row for row in run["pages"]} for run in runs]
    first, last = args.scales[0], args.scales[-1]
    header = " | ".join(f"p95 @{s}" for s in args.scales)
    queries = " | ".join(f"queries @{s}" for s in args.scales)
    lines = [
        f"Growth of each page from scale {first} to {last} (sequential p95 in ms; load average "
        + ", ".join(f"@{s}: {r['load_before']}" for s, r in zip(args.scales, runs, strict=True))
        + ").",
        "",
        f"| page | {header} | ratio | {queries} | |",
        "| --- |" + " ---: |" * (2 * len(args.scales) + 1) + " --- |",
    ]
    for page in runs[-1]["pages"]:
        name = page["page"]
        rows = [pages.get(name) for pages in by_page]
        if any(r is None for r in rows):
            continue
        ratio = rows[-1]["p95_ms"] / max(rows[0]["p95_ms"], 0.1)
        counts = [r["queries"] for r in rows]
        mark = []
        if ratio >= GROWING:
            mark.append("grows")
        if len(set(counts)) > 1:
            mark.append("queries change")
        lines.append(
            f"| {name} | "
            + " | ".join(str(r["p95_ms"]) for r in rows)
            + f" | {ratio:.1f} | "
            + " | ".join(map(str, counts))
            + f" | {', '.join(mark)} |"
        )
    table = "\n".join(lines)
    (RESULTS / "growth.md").write_text(table + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
