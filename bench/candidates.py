"""The "suggested candidates" index at a university's size (issue 14's targets).

Against a database filled by bench/scale/generate.py (PostgreSQL, through Django, as a web
process would do it):

1. the first request in a fresh process: the student index built from the discoverable
   profiles, then the top-20 candidates of a project (target <= 2 s), and the process's
   resident memory after it (target <= 300 MB for 100k students);
2. a profile edit through the profiles service, then the next request's index update
   (target <= 50 ms, no rebuild), and a check that the updated index ranks every project's
   candidates as an index built afresh does;
3. the top-20 projects for a student among the open ones (recommendations, target <= 20 ms,
   median over repeats, index warm).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practicum_scale_1 SECRET_KEY=... \\
        .venv/bin/python bench/candidates.py

Prints the figures with the load average (the machine is shared) and writes them to
bench/results/candidates.json. With ``--label before`` it measures code without incremental
updates (the whole index is rebuilt after the edit) for a before/after comparison.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicum.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from practicum.accounts.models import User  # noqa: E402
from practicum.matching import recommend  # noqa: E402
from practicum.profiles import services as profile_services  # noqa: E402
from practicum.projects.models import Project  # noqa: E402
from practicum.recommendations import adapter, selectors  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def resident_mb() -> float:
    """The process's resident set now, in MB (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(call, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="after")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    figures: dict = {"label": args.label, "load_before": os.getloadavg()}
    figures["rss_start_mb"] = round(resident_mb(), 1)

    project = (
        Project.objects.filter(status=Project.Status.OPEN)
        .annotate(n=Count("skills"))
        .order_by("-n", "pk")
        .first()
    )
    project = selectors.project_for_candidates(project.pk)
    students = adapter.discoverable_profiles().count()
    figures["discoverable_students"] = students

    ms, candidates = timed(lambda: selectors.suggested_candidates(project, limit=20))
    figures["first_request_ms"] = round(ms)
    figures["rss_after_first_mb"] = round(resident_mb(), 1)
    figures["peak_rss_mb"] = round(peak_mb(), 1)
    index = adapter.student_index()
    figures["index_arrays_mb"] = round(getattr(index, "nbytes", 0) / 2**20, 1)
    ms, _ = timed(lambda: selectors.suggested_candidates(project, limit=20), args.repeat)
    figures["warm_request_ms"] = round(ms, 1)

    # A profile edit through the service (it stamps updated_at), then the next request.
    profile = adapter.discoverable_profiles().select_related("user").order_by("pk")[students // 2]
    skill = project.skills.all()[0].skill_id
    profile_services.update_profile(
        profile,
        by=profile.user,
        data={"skills": [(skill, 4)], "interests": ["survey data", "dashboards"]},
    )
    ms, _ = timed(adapter.student_index)
    figures["index_after_edit_ms"] = round(ms, 1)
    figures["rss_after_edit_mb"] = round(resident_mb(), 1)
    ms, candidates = timed(lambda: selectors.suggested_candidates(project, limit=20))
    figures["request_after_edit_ms"] = round(ms, 1)
    figures["edited_student_ranked"] = any(c.profile.pk == profile.pk for c in candidates)

    if hasattr(index, "update"):
        # The engine's part of an edit: one student's row replaced in the arrays.
        other = adapter.profiles_for_matching(adapter.discoverable_profiles().order_by("pk"))[
            students // 3
        ]
        edited = replace(
            adapter.student_input(other), interests=["dashboards", "survey data", "accessibility"]
        )
        ms, _ = timed(lambda: index.update([edited]), args.repeat)
        figures["index_update_engine_ms"] = round(ms, 2)

    if hasattr(index, "best"):
        # The updated index ranks as one built afresh, for a sample of open projects.
        started = time.perf_counter()
        rebuilt = type(index)(adapter.student_inputs(adapter.discoverable_profiles()))
        figures["rebuild_ms"] = round((time.perf_counter() - started) * 1000)
        sample = adapter.projects_for_matching(
            Project.objects.filter(status=Project.Status.OPEN).order_by("pk")
        )[:50]
        wanted = [adapter.project_input(p) for p in sample]
        figures["ranking_equals_rebuild"] = all(
            index.best(w, 20) == rebuilt.best(w, 20) for w in wanted
        )
        del rebuilt

    # Recommendations: the top-20 projects for a student, index warm.
    student = User.objects.get(pk=profile.user_id)
    selectors.recommended_projects(student, limit=20)
    ms, _ = timed(lambda: selectors.recommended_projects(student, limit=20), args.repeat)
    figures["open_projects"] = len(adapter.project_index().index)
    figures["recommend_top20_ms"] = round(ms, 1)
    # The engine's part of it: ranking the indexed projects for the student.
    catalog = adapter.project_index()
    mine = selectors._student_of(student)
    ms, _ = timed(lambda: recommend(mine, catalog.index.items, 20, catalog.index), args.repeat)
    figures["recommend_top20_engine_ms"] = round(ms, 1)
    figures["load_after"] = os.getloadavg()

    for name, value in figures.items():
        print(f"{name:28} {value}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"candidates-{args.label}.json"
    out.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
