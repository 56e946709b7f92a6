"""Time skill search on the shipped taxonomy plus N synthetic skills.

    .venv/bin/python bench/bench_skill_search.py [--synthetic 20000] [--repeats 100]

Runs against a throwaway SQLite database in a temporary folder (migrated from scratch), whatever
DATABASE_URL says, so the developer's database is never touched. Prints p50/p95 per query and
writes the figures to bench/results/skill_search.json.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "skill_search.json"

# Short prefixes and single letters are the expensive cases: they match the most rows and all of
# those rows must be ranked before the first `limit` are known.
QUERIES = [
    "js",
    "ml",
    "excel",
    "python",
    "data",
    "design",
    "market",
    "e",
    "ing",
    "machine learning",
    "spanish",
    "no such skill anywhere",
]
CATEGORY_QUERIES = [("ing", "languages"), ("", "marketing")]
MODIFIERS = ["Applied", "Advanced", "Introductory", "Practical", "Industry", "Research", "Remote"]


def setup_django(db_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    # Forced, not defaulted: an exported DATABASE_URL may point at a real database.
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "practicum.settings"
    # The test client goes through WhiteNoise, which warns when collectstatic never ran.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    import django

    django.setup()


def percentile(samples: list[float], pct: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def add_synthetic_skills(count: int) -> None:
    """Skills named after real ones ("Applied Python 17"), so they compete in the same searches."""
    from practicum.skills.models import Skill, SkillCategory, build_search_text

    real = list(Skill.objects.values_list("name", "aliases", "category_id"))
    categories = list(SkillCategory.objects.values_list("pk", flat=True))
    batch = []
    for n in range(count):
        name, aliases, category_id = real[n % len(real)]
        modifier = MODIFIERS[n % len(MODIFIERS)]
        synthetic_name = f"{modifier} {name} {n}"
        synthetic_aliases = [f"{alias} {n}" for alias in aliases[:2]]
        batch.append(
            Skill(
                slug=f"synthetic-{n}",
                name=synthetic_name,
                category_id=categories[n % len(categories)] if n % 3 else category_id,
                aliases=synthetic_aliases,
                search_text=build_search_text(synthetic_name, synthetic_aliases),
            )
        )
    Skill.objects.bulk_create(batch, batch_size=1000)


def time_calls(call, repeats: int) -> list[float]:
    call()  # warm-up: statement cache, template loading
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def figures(samples: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "max_ms": round(max(samples), 3),
    }


def run(synthetic: int, repeats: int, limit: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from practicum.skills.models import Skill
    from practicum.skills.selectors import search_skills
    from practicum.skills.services import load_taxonomy

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started

    started = time.perf_counter()
    load_taxonomy()
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    add_synthetic_skills(synthetic)
    synthetic_s = time.perf_counter() - started

    started = time.perf_counter()
    counts = load_taxonomy()
    reload_s = time.perf_counter() - started
    assert counts["created"] == counts["updated"] == 0, counts

    results: dict[str, dict] = {}
    all_samples: list[float] = []
    cases = [(q, None) for q in QUERIES] + CATEGORY_QUERIES
    for query, category in cases:
        label = f"{query!r}" + (f" in {category}" if category else "")
        with CaptureQueriesContext(connection) as captured:
            found = search_skills(query, category=category, limit=limit)
        samples = time_calls(
            lambda q=query, c=category: search_skills(q, category=c, limit=limit), repeats
        )
        all_samples += samples
        results[label] = {
            **figures(samples),
            "results": len(found),
            "first": found[0].name if found else None,
            "db_queries": len(captured),
        }

    client = Client()
    url = reverse("skills:autocomplete")
    view_samples: list[float] = []
    for query in ["js", "data", "e"]:
        view_samples += time_calls(lambda q=query: client.get(url, {"q": q}), repeats)

    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": f"SQLite {connection.Database.sqlite_version} (temporary file)",
        "python": platform.python_version(),
        "skills_total": Skill.objects.count(),
        "synthetic_skills": synthetic,
        "repeats_per_query": repeats,
        "limit": limit,
        "setup_seconds": {
            "migrate": round(migrate_s, 2),
            "load_taxonomy": round(load_s, 2),
            "add_synthetic": round(synthetic_s, 2),
            "reload_taxonomy_unchanged": round(reload_s, 2),
        },
        "search_skills": {"all_queries": figures(all_samples), "per_query": results},
        "autocomplete_view": figures(view_samples),
    }


def print_report(report: dict) -> None:
    print(
        f"{report['skills_total']} skills ({report['synthetic_skills']} synthetic) on "
        f"{report['database']}; {report['repeats_per_query']} runs per query, "
        f"limit {report['limit']}"
    )
    print("setup: " + ", ".join(f"{k} {v}s" for k, v in report["setup_seconds"].items()))
    print(f"{'query':<34}{'p50 ms':>9}{'p95 ms':>9}{'hits':>6}{'SQL':>5}  first")
    for label, row in report["search_skills"]["per_query"].items():
        print(
            f"{label:<34}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}{row['results']:>6}"
            f"{row['db_queries']:>5}  {row['first'] or '-'}"
        )
    overall = report["search_skills"]["all_queries"]
    view = report["autocomplete_view"]
    print(f"{'all queries':<34}{overall['p50_ms']:>9.2f}{overall['p95_ms']:>9.2f}")
    print(f"{'autocomplete view (HTTP, render)':<34}{view['p50_ms']:>9.2f}{view['p95_ms']:>9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=20_000, help="extra skills to add")
    parser.add_argument("--repeats", type=int, default=100, help="timed runs per query")
    parser.add_argument("--limit", type=int, default=20, help="results per search")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="practicum-bench-") as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        report = run(args.synthetic, args.repeats, args.limit)
        from django.db import connections

        connections.close_all()  # before the folder (and the database file) goes away

    print_report(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
