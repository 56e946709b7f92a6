"""Time passes of the periodic job (what `manage.py run_periodic` runs every minute) on a
database filled by bench/scale/generate.py: seconds and SQL statements per pass.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practicum_scale_1 SECRET_KEY=... \\
        .venv/bin/python bench/periodic.py --passes 3

The first pass records whatever is due in the generated data (reminders, alerts, stale
reciprocity rows, digests, the email outbox); the passes after it find nothing new, which is
the every-minute case the target speaks of (≤ 10 s and ≤ 300 queries at full scale). Prints a
line a pass and writes bench/results/periodic.json. Emails go to Django's in-memory outbox.
"""

import argparse
import json
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicum.settings")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--out", type=pathlib.Path, default=ROOT / "bench" / "results" / "periodic.json"
    )
    parser.add_argument(
        "--max-last-queries",
        type=int,
        default=None,
        help="fail (exit 1) when the last pass, the quiet one, makes more SQL statements",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from practicum.notifications import services

    # Counted by a wrapper, not Django's query log, which keeps only the last 9,000.
    count = [0]

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    results = []
    for number in range(1, args.passes + 1):
        count[0] = 0
        with connection.execute_wrapper(counted):
            started = time.perf_counter()
            summary = services.run_periodic_pass(worker=f"bench-{os.getpid()}")
            seconds = time.perf_counter() - started
        results.append(
            {"pass": number, "seconds": round(seconds, 2), "queries": count[0], **summary}
        )
        print(f"pass {number}: {seconds:.2f} s, {count[0]} queries, {summary}", flush=True)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"load": os.getloadavg(), "passes": results}, indent=2))
    print(f"written {args.out}")
    last = results[-1]["queries"]
    if args.max_last_queries is not None and last > args.max_last_queries:
        print(f"the last pass made {last} queries, over {args.max_last_queries}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
