"""Time serving the OpenAPI document, /api/v1/openapi.json, cold (first request in the process)
and warm (every later one; the target is at most 10 ms).

    .venv/bin/python bench/openapi.py [--repeats 50]

Runs in-process through Django's test client (no network), with DEBUG on so no secret is
needed. Prints the cold time and the warm median and p95, and writes bench/results/openapi.json.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicum.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402  (after the settings are chosen)

django.setup()

from django.test import Client  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "openapi.json"
URL = "/api/v1/openapi.json"


def timed(client: Client) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(URL)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    client = Client()
    cold, size = timed(client)
    warm = sorted(timed(client)[0] for _ in range(args.repeats))
    result = {
        "cold_ms": round(cold, 2),
        "warm_median_ms": round(statistics.median(warm), 2),
        "warm_p95_ms": round(warm[int(len(warm) * 0.95) - 1], 2),
        "bytes": size,
        "repeats": args.repeats,
        "python": platform.python_version(),
    }
    print(f"openapi.json: {size:,} bytes")
    print(f"cold {result['cold_ms']} ms; warm median {result['warm_median_ms']} ms, "
          f"p95 {result['warm_p95_ms']} ms ({args.repeats} requests)")  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
