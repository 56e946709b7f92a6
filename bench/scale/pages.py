"""Time the main pages and API lists on a database filled by generate.py, as the right person.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practicum_scale \\
        .venv/bin/python bench/scale/pages.py --scale 0.02 --runs 10

Each page is requested twice to warm up, then --runs times in a row, signed in as who would
open it (the owner of the project with the most applicants, of the organization with the most
engagements, the student with the most history, the parties of the engagement with the longest
timeline). Prints a Markdown table of p50/p95 (milliseconds), the number of SQL queries and the
response size, and writes it with the JSON beside it in bench/results/. Requests go through
Django's full stack in this process (middleware, sessions, templates), without the network.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicum.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from practicum.accounts.models import Membership, User  # noqa: E402
from practicum.engagements.models import Engagement  # noqa: E402
from practicum.projects.models import Project  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def the_cases() -> list[tuple[str, object, str]]:
    """(name, who, url) for every page measured; who is a user or None for anonymous."""
    busiest = (
        Project.objects.filter(status=Project.Status.OPEN)
        .annotate(n=Count("applications"))
        .order_by("-n")
        .select_related("organization")
        .first()
    )
    biggest = (
        Membership.objects.filter(role=Membership.Role.OWNER)
        .annotate(n=Count("organization__projects__engagements"))
        .order_by("-n")
        .select_related("user", "organization")
        .first()
    )
    student = (
        User.objects.filter(account_type=User.AccountType.STUDENT)
        .annotate(n=Count("applications"))
        .order_by("-n")
        .first()
    )
    longest = (
        Engagement.objects.annotate(n=Count("events"))
        .order_by("-n")
        .select_related("student", "mentor")
        .first()
    )
    mine = Engagement.objects.filter(student=student).first() or longest
    owner, org = biggest.user, biggest.organization.slug
    busy_owner = busiest.organization.memberships.filter(role="owner").first().user
    e = longest.pk
    return [
        ("home", None, "/"),
        ("discover projects", None, "/projects/"),
        ("discover: free text", student, "/projects/?q=survey"),
        ("project", student, f"/projects/{busiest.pk}/"),
        ("applicants (most applicants)", busy_owner, f"/projects/{busiest.pk}/applicants/"),
        ("org dashboard (most engagements)", owner, "/dashboard/"),
        ("org projects", owner, f"/organizations/{org}/projects/"),
        ("org reciprocity", owner, f"/organizations/{org}/reciprocity/"),
        ("student dashboard (most history)", student, "/dashboard/"),
        ("my applications", student, "/applications/"),
        ("notifications", student, "/notifications/"),
        ("student's engagement", mine.student, f"/engagements/{mine.pk}/"),
        ("engagement (longest timeline)", longest.student, f"/engagements/{e}/"),
        ("timeline", longest.student, f"/engagements/{e}/timeline/"),
        ("messages", longest.mentor, f"/engagements/{e}/messages/"),
        ("progress updates", longest.mentor, f"/engagements/{e}/updates/"),
        ("API: projects", student, "/api/v1/projects"),
        ("API: applicants", busy_owner, f"/api/v1/projects/{busiest.pk}/applications"),
        ("API: my engagements (org)", owner, "/api/v1/engagements"),
        ("API: my engagements (student)", student, "/api/v1/engagements"),
        ("API: messages", longest.student, f"/api/v1/engagements/{e}/messages"),
        ("API: events", longest.student, f"/api/v1/engagements/{e}/events"),
        ("API: notifications", student, "/api/v1/notifications"),
    ]


def measure(name: str, who, url: str, runs: int) -> dict:
    client = Client()
    if who is not None:
        client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
    for _ in range(2):
        client.get(url)
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    # Counted at the cursor: queries_log is reset when a request starts.
    with connection.execute_wrapper(count):
        response = client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "page": name,
        "url": url,
        "status": response.status_code,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": len(executed),
        "bytes": len(response.content),
    }


def markdown(scale: float, rows: list[dict]) -> str:
    lines = [
        f"Scale {scale:g}: p50/p95 in ms, warm, sequential, in-process.",
        "",
        "| page | status | p50 ms | p95 ms | queries | kB |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} (`{r['url']}`) | {r['status']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['queries']} | {r['bytes'] / 1024:.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, required=True, help="as given to generate.py")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    rows = [measure(name, who, url, args.runs) for name, who, url in the_cases()]
    RESULTS.mkdir(exist_ok=True)
    table = markdown(args.scale, rows)
    (RESULTS / f"pages-{args.scale:g}.json").write_text(
        json.dumps({"scale": args.scale, "runs": args.runs, "pages": rows}, indent=2)
    )
    (RESULTS / f"pages-{args.scale:g}.md").write_text(table + "\n")
    print(table)
    failed = [r for r in rows if r["status"] >= 400]
    if failed:
        print(f"{len(failed)} pages answered with an error.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
