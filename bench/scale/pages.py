"""Time the main pages and API lists on a database filled by generate.py, as the right person,
through the production server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practicum_scale SECRET_KEY=... \\
        .venv/bin/python bench/scale/pages.py --scale 0.1

Each page is opened by who would open it (the owner of the project with the most applicants,
of the organization with the most engagements, the student with the most history, the parties
of the engagement with the longest timeline; anonymous for public pages), signed in with a
session cookie made here (a database session, as signing in makes).

1. **Queries**, in this process: each page once through Django's full stack (test client),
   counting the SQL statements (``CaptureQueriesContext``), with the status and the size.
2. **Sequential**, over HTTP: gunicorn as ``make serve`` runs it (DEBUG off, plain HTTP,
   ``--workers`` processes, the cache on Redis as in production) on a free port; every page
   warmed by two rounds of as many requests at once as there are workers, then ``--runs``
   times in a row: p50 and p95 in milliseconds.
3. **Concurrent**: ``--clients`` threads (8) each open every page ``--concurrent-runs`` times
   in a shuffled order at once: p50/p95 per page under load, and requests per second.

Prints a Markdown table and writes it with the JSON beside it in bench/results/
(pages-<scale>.md/.json), with the load average of the machine before and after (it is
shared: times are noisy, query counts are not). bench/scale/growth.py compares scales.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from redis import Redis

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicum.settings")
# Plain HTTP, as `make serve`: no redirect to HTTPS, cookies without the Secure flag.
os.environ.setdefault("HTTPS", "off")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from practicum.accounts.models import Membership, User  # noqa: E402
from practicum.engagements.models import Application, Engagement  # noqa: E402
from practicum.projects.models import Project  # noqa: E402

RESULTS = ROOT / "bench" / "results"
#: Seconds a request may take before it counts as failed (and the server start's deadline).
TIMEOUT = 120


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def the_cases() -> list[tuple[str, object, str]]:
    """(name, who, url) for every page measured; who is a user or None for anonymous."""
    busiest = (
        Project.objects.filter(status=Project.Status.OPEN)
        .annotate(n=Count("applications"))
        .order_by("-n", "pk")
        .select_related("organization")
        .first()
    )
    biggest = (
        Engagement.objects.values("project__organization")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    owner_membership = (
        Membership.objects.filter(
            organization_id=biggest["project__organization"], role=Membership.Role.OWNER
        )
        .select_related("user", "organization")
        .first()
    )
    student = (
        User.objects.filter(account_type=User.AccountType.STUDENT)
        .annotate(n=Count("applications"))
        .order_by("-n", "pk")
        .first()
    )
    longest = (
        Engagement.objects.annotate(n=Count("events"))
        .order_by("-n", "pk")
        .select_related("student", "mentor")
        .first()
    )
    mine = Engagement.objects.filter(student=student).order_by("pk").first() or longest
    applicant = (
        Application.objects.filter(project=busiest)
        .select_related("student__student_profile")
        .order_by("pk")
        .first()
        .student
    )
    owner, org = owner_membership.user, owner_membership.organization.slug
    busy_owner = busiest.organization.memberships.filter(role="owner").first().user
    p, e = busiest.pk, longest.pk
    profile = student.student_profile.pk
    applicant_profile = applicant.student_profile.pk
    return [
        ("home", None, "/"),
        ("discover projects", None, "/projects/"),
        ("discover: free text", student, "/projects/?q=survey+data"),
        ("project", student, f"/projects/{p}/"),
        ("applicants (most applicants)", busy_owner, f"/projects/{p}/applicants/"),
        ("candidates (most applicants)", busy_owner, f"/projects/{p}/candidates/"),
        ("applicant's profile", busy_owner, f"/students/{applicant_profile}/"),
        ("org dashboard (most engagements)", owner, "/dashboard/"),
        ("organization", owner, f"/organizations/{org}/"),
        ("org projects", owner, f"/organizations/{org}/projects/"),
        ("org reciprocity", owner, f"/organizations/{org}/reciprocity/"),
        ("org reciprocity card", None, f"/organizations/{org}/reciprocity/card/"),
        ("org talent", owner, f"/organizations/{org}/talent/"),
        ("student dashboard (most history)", student, "/dashboard/"),
        ("my applications", student, "/applications/"),
        ("notifications", student, "/notifications/"),
        ("recommendations", student, "/recommendations/"),
        ("my profile", student, "/profile/"),
        ("student reciprocity", student, f"/students/{profile}/reciprocity/"),
        ("career outcomes (student)", student, "/careers/"),
        ("credentials", student, "/credentials/"),
        ("calendar", student, "/calendar/"),
        ("student's engagement", mine.student, f"/engagements/{mine.pk}/"),
        ("engagement (longest timeline)", longest.student, f"/engagements/{e}/"),
        ("timeline", longest.student, f"/engagements/{e}/timeline/"),
        ("messages", longest.mentor, f"/engagements/{e}/messages/"),
        ("progress updates", longest.mentor, f"/engagements/{e}/updates/"),
        ("check-ins", longest.mentor, f"/engagements/{e}/checkins/"),
        ("deliverables", longest.mentor, f"/engagements/{e}/deliverables/"),
        ("learning plan", longest.student, f"/engagements/{e}/learning/"),
        ("feedback", longest.student, f"/engagements/{e}/feedback/"),
        ("completion", longest.mentor, f"/engagements/{e}/completion/"),
        ("API: projects", student, "/api/v1/projects"),
        ("API: projects, free text", student, "/api/v1/projects?q=survey"),
        ("API: project", student, f"/api/v1/projects/{p}"),
        ("API: applicants", busy_owner, f"/api/v1/projects/{p}/applications"),
        ("API: candidates", busy_owner, f"/api/v1/projects/{p}/candidates"),
        ("API: my applications", student, "/api/v1/applications"),
        ("API: my engagements (org)", owner, "/api/v1/engagements"),
        ("API: my engagements (student)", student, "/api/v1/engagements"),
        ("API: engagement", longest.student, f"/api/v1/engagements/{e}"),
        ("API: events", longest.student, f"/api/v1/engagements/{e}/events"),
        ("API: timeline", longest.student, f"/api/v1/engagements/{e}/timeline"),
        ("API: messages", longest.student, f"/api/v1/engagements/{e}/messages"),
        ("API: progress updates", longest.student, f"/api/v1/engagements/{e}/updates"),
        ("API: my progress", student, "/api/v1/me/progress"),
        ("API: notifications", student, "/api/v1/notifications"),
        ("API: recommendations", student, "/api/v1/recommendations/projects"),
        ("API: org reciprocity", owner, f"/api/v1/organizations/{org}/reciprocity"),
        ("API: student reciprocity", student, f"/api/v1/students/{profile}/reciprocity"),
        ("API: org analytics", owner, f"/api/v1/organizations/{org}/analytics"),
        ("API: org talent", owner, f"/api/v1/organizations/{org}/talent"),
        ("API: my profile", student, "/api/v1/me/profile"),
        ("API: credentials", student, "/api/v1/credentials"),
    ]


def session_cookies(cases) -> dict:
    """user pk -> the session cookie of a signed-in session (stored in the database, so the
    server reads it), one per person."""
    cookies = {}
    for _, who, _ in cases:
        if who is not None and who.pk not in cookies:
            client = Client()
            client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
            cookies[who.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def count_queries(cases) -> list[dict]:
    rows = []
    for name, who, url in cases:
        client = Client()
        if who is not None:
            client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        client.get(url)  # warm: caches and indexes a first request builds
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        print(f"{name}: {response.status_code}, {len(queries)} queries", file=sys.stderr)
        rows.append(
            {
                "page": name,
                "url": url,
                "status": response.status_code,
                "queries": len(queries.captured_queries),
                "bytes": len(response.content),
            }
        )
    return rows


class Server:
    """gunicorn on a free port, as `make serve` starts it (DEBUG off, plain HTTP)."""

    def __init__(self, workers: int, redis_url: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {**os.environ, "DEBUG": "0", "HTTPS": "off", "SITE_URL": self.base}
        env.pop("REDIS_URL", None)
        if redis_url:  # the production cache, shared by the workers, emptied first
            Redis.from_url(redis_url).flushdb()
            env["REDIS_URL"] = redis_url
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "practicum.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", str(TIMEOUT), "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/", timeout=TIMEOUT).read()
                return
            except OSError:  # not listening yet (URLError), or a worker still starting
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {TIMEOUT} s")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, url: str, cookie: str | None) -> tuple[int, float]:
        request = urllib.request.Request(self.base + url)
        if cookie:
            request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        return status, (time.perf_counter() - started) * 1000

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def sequential(server: Server, cases, cookies, runs: int, warm: int) -> dict[str, list[float]]:
    times = {}
    for name, who, url in cases:
        cookie = cookies.get(getattr(who, "pk", None))
        # Twice `warm` requests at once, so that each idle worker takes some (one after another,
        # the same worker may take them all and leave the others cold), and a worker that built
        # an index at the same moment as another one loads the one kept in the cache.
        for _ in range(2):
            warmers = [threading.Thread(target=server.get, args=(url, cookie)) for _ in range(warm)]
            for thread in warmers:
                thread.start()
            for thread in warmers:
                thread.join()
        times[name] = [server.get(url, cookie)[1] for _ in range(runs)]
        print(f"{name}: p50 {statistics.median(times[name]):.0f} ms", file=sys.stderr)
    return times


def concurrent(server: Server, cases, cookies, clients: int, runs: int):
    times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    lock = threading.Lock()

    def client(seed: int) -> None:
        order = [case for case in cases for _ in range(runs)]
        random.Random(seed).shuffle(order)
        for name, who, url in order:
            _, ms = server.get(url, cookies.get(getattr(who, "pk", None)))
            with lock:
                times[name].append(ms)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return times, clients * runs * len(cases) / seconds


def markdown(meta: dict, rows: list[dict]) -> str:
    lines = [
        f"Scale {meta['scale']:g}: gunicorn ({meta['workers']} workers, DEBUG off) on "
        f"PostgreSQL, cache: {meta['cache']}; times in ms, warm; sequential p50/p95 over "
        f"{meta['runs']} runs, "
        f"concurrent p50/p95 with {meta['clients']} clients ({meta['requests_per_second']:.1f} "
        f"requests/s). Load average before {meta['load_before']}, after {meta['load_after']}.",
        "",
        "| page | status | queries | kB | p50 | p95 | 8 clients p50 | 8 clients p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} (`{r['url']}`) | {r['status']} | {r['queries']} "
            f"| {r['bytes'] / 1024:.0f} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['concurrent_p50_ms']} | {r['concurrent_p95_ms']} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, required=True, help="as given to generate.py")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--concurrent-runs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="the workers' cache, as in production (flushed first); '' for each its own",
    )
    args = parser.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    cases = the_cases()
    rows = count_queries(cases)
    cookies = session_cookies(cases)
    server = Server(args.workers, args.redis_url)
    try:
        # Each worker keeps its own candidates index (and, without Redis, project index).
        seq = sequential(server, cases, cookies, args.runs, warm=args.workers)
        conc, rate = {}, 0.0
        if args.concurrent_runs:  # 0 skips it (at full scale the slowest pages take minutes)
            conc, rate = concurrent(server, cases, cookies, args.clients, args.concurrent_runs)
    finally:
        server.stop()
    for row in rows:
        times, loaded = seq[row["page"]], conc.get(row["page"])
        row.update(
            p50_ms=round(statistics.median(times), 1),
            p95_ms=round(percentile(times, 0.95), 1),
            concurrent_p50_ms=round(statistics.median(loaded), 1) if loaded else None,
            concurrent_p95_ms=round(percentile(loaded, 0.95), 1) if loaded else None,
        )
    meta = {
        "scale": args.scale,
        "runs": args.runs,
        "clients": args.clients,
        "concurrent_runs": args.concurrent_runs,
        "workers": args.workers,
        "cache": "Redis" if args.redis_url else "each worker its own",
        "requests_per_second": round(rate, 2),
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    RESULTS.mkdir(exist_ok=True)
    table = markdown(meta, rows)
    (RESULTS / f"pages-{args.scale:g}.json").write_text(
        json.dumps({**meta, "pages": rows}, indent=2) + "\n"
    )
    (RESULTS / f"pages-{args.scale:g}.md").write_text(table + "\n")
    print(table)
    failed = [r for r in rows if r["status"] >= 400]
    if failed:
        print(f"{len(failed)} pages answered with an error.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
