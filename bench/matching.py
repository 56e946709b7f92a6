"""Benchmark of the pure matching engine (no Django), against issue #6's requirements.

1. Deferred acceptance on 100,000 students x 20,000 projects, 10 choices each, capacities 1-5
   (fixed seed; each project ranks the students who ranked it, in a random order): the dict API
   and the integer-array core against a textbook pure-Python implementation (dicts and a heap
   per project, written below) on the same instance in the same run. Required: dict API at
   least 2x and array core at least 10x faster than the textbook one.
2. The `matching` library (HospitalResident, resident-optimal) on a 10,000 x 2,000 instance
   beside ours, with a check that the matchings agree.
3. Recommendations: top-20 projects for one student among 20,000 (required: median <= 20 ms)
   and top-50 candidates for one project among 100,000 students (median <= 100 ms), with the
   index build times and memory, and a check of the results against the per-pair code.

Times are best and median over repeats (the machine is shared, so medians are noisy); ratios
are taken on medians. Prints a table and writes bench/results/matching.json.

    .venv/bin/python bench/matching.py                      # full run, about a minute
    .venv/bin/python bench/matching.py --students 20000 --projects 4000 --skip-library
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
import warnings
from collections import deque
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# This file is named like the `matching` library it compares with: take its folder off the
# path, or `import matching` would find this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from practicum.matching import (  # noqa: E402 -- after the path set-up above
    ProjectIndex,
    ProjectInput,
    StudentIndex,
    StudentInput,
    TextIndex,
    deferred_acceptance,
    deferred_acceptance_compact,
    is_stable,
    passes_hard_constraints,
    recommend,
    score_fit,
    suggest_candidates,
)

SEED = 20240601
RESULTS = ROOT / "bench" / "results" / "matching.json"


def timed(repeat: int, fn: Callable[[], Any]) -> tuple[list[float], Any]:
    """(seconds of each run, result of the last run)."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def summary(times: list[float]) -> dict[str, float]:
    return {
        "best_s": round(min(times), 5),
        "median_s": round(statistics.median(times), 5),
        "runs": len(times),
        "times_s": [round(t, 5) for t in times],
    }


# --------------------------------------------------------------------------------------------
# 1. Deferred acceptance
# --------------------------------------------------------------------------------------------


def textbook_deferred_acceptance(
    student_prefs: Mapping[Hashable, Sequence[Hashable]],
    project_prefs: Mapping[Hashable, Sequence[Hashable]],
    capacities: Mapping[Hashable, int],
) -> dict[Hashable, Hashable | None]:
    """Student-proposing deferred acceptance, written straightforwardly in pure Python.

    Free students wait in a queue; each proposes to their next choice. A project keeps its
    tentatively accepted students in a heap keyed by rank with the worst on top, so it can
    compare a newcomer with its worst student and swap them in O(log capacity).
    """
    rank = {p: {s: r for r, s in enumerate(prefs)} for p, prefs in project_prefs.items()}
    no_ranks: dict[Hashable, int] = {}
    held: dict[Hashable, list[tuple[int, Hashable]]] = {p: [] for p in project_prefs}
    next_choice = dict.fromkeys(student_prefs, 0)
    free = deque(student_prefs)
    while free:
        s = free.popleft()
        prefs = student_prefs[s]
        while next_choice[s] < len(prefs):
            p = prefs[next_choice[s]]
            next_choice[s] += 1
            r = rank.get(p, no_ranks).get(s)
            if r is None:
                continue  # the project does not rank this student
            heap = held[p]
            if len(heap) < capacities[p]:
                heapq.heappush(heap, (-r, s))
                break
            if heap and -heap[0][0] > r:  # better than the worst student held
                _, bumped = heapq.heapreplace(heap, (-r, s))
                free.append(bumped)
                break
    result: dict[Hashable, Hashable | None] = dict.fromkeys(student_prefs)
    for p, heap in held.items():
        for _, s in heap:
            result[s] = p
    return result


def make_round(n: int, m: int, choices: int, seed: int) -> dict[str, Any]:
    """Students 0..n-1 each rank ``choices`` distinct random projects; capacities 1-5; each
    project ranks the students who ranked it, in a random order. As arrays and as dicts."""
    rng = np.random.default_rng(seed)
    lists = rng.integers(0, m, size=(n, choices))
    while True:  # redraw the rows with a repeated project
        ordered = np.sort(lists, axis=1)
        repeated = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        if not repeated.any():
            break
        lists[repeated] = rng.integers(0, m, size=(int(repeated.sum()), choices))
    capacities = rng.integers(1, 6, size=m)

    students = np.repeat(np.arange(n), choices)
    projects = lists.ravel()
    order = np.lexsort((rng.random(students.size), projects))  # random order within a project
    bounds = np.searchsorted(projects[order], np.arange(m + 1))
    ranks = np.empty(students.size, dtype=np.int64)
    ranks[order] = np.arange(students.size) - bounds[projects[order]]

    ranked = students[order].tolist()
    cut = bounds.tolist()
    return {
        "n": n,
        "m": m,
        "lists": lists,
        "choice_ranks": ranks.reshape(n, choices),
        "capacities": capacities,
        "student_prefs": dict(enumerate(lists.tolist())),
        "project_prefs": {j: ranked[cut[j] : cut[j + 1]] for j in range(m)},
        "capacity_dict": dict(enumerate(capacities.tolist())),
    }


def bench_deferred_acceptance(args: argparse.Namespace) -> dict[str, Any]:
    start = time.perf_counter()
    r = make_round(args.students, args.projects, args.choices, SEED)
    generated = time.perf_counter() - start
    dicts = (r["student_prefs"], r["project_prefs"], r["capacity_dict"])
    arrays = (r["lists"], r["choice_ranks"], r["capacities"])

    # Interleaved, so that load from elsewhere on the machine hits all three alike.
    times: dict[str, list[float]] = {"textbook": [], "dict_api": [], "array_core": []}
    results: dict[str, Any] = {}
    for i in range(args.repeat):
        for name, fn in (
            ("textbook", lambda: textbook_deferred_acceptance(*dicts)),
            ("dict_api", lambda: deferred_acceptance(*dicts)),
            ("array_core", lambda: deferred_acceptance_compact(*arrays)),
        ):
            if name == "textbook" and i >= args.textbook_repeat:
                continue
            (seconds,), results[name] = timed(1, fn)
            times[name].append(seconds)

    core = {s: (int(j) if j >= 0 else None) for s, j in enumerate(results["array_core"].tolist())}
    agree = results["textbook"] == results["dict_api"] == core
    if not agree:
        raise SystemExit("deferred acceptance: the textbook, dict API and array core disagree")
    stable_s, stable = timed(1, lambda: is_stable(results["dict_api"], *dicts))
    if not stable:
        raise SystemExit("deferred acceptance: the matching is not stable")

    out = {
        "students": r["n"],
        "projects": r["m"],
        "choices": args.choices,
        "places": int(r["capacities"].sum()),
        "matched": sum(p is not None for p in results["dict_api"].values()),
        "generate_s": round(generated, 3),
        "textbook": summary(times["textbook"]),
        "dict_api": summary(times["dict_api"]),
        "array_core": summary(times["array_core"]),
        "results_agree": agree,
        "is_stable": stable,
        "is_stable_s": round(stable_s[0], 3),
    }
    for name in ("dict_api", "array_core"):
        out[f"speedup_{name}_median"] = round(
            out["textbook"]["median_s"] / out[name]["median_s"], 2
        )
        out[f"speedup_{name}_best"] = round(out["textbook"]["best_s"] / out[name]["best_s"], 2)
    return out


def library_solution(student_prefs, project_prefs, capacity_dict) -> dict[Any, Any]:
    # The library turns on warnings.simplefilter("always") when imported.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from matching.games import HospitalResident

        game = HospitalResident.create_from_dictionaries(
            student_prefs, project_prefs, capacity_dict
        )
        solution = game.solve(optimal="resident")
    result = dict.fromkeys(student_prefs)
    for hospital, residents in solution.items():
        for resident in residents:
            result[resident.name] = hospital.name
    return result


def bench_library(args: argparse.Namespace) -> dict[str, Any]:
    r = make_round(args.library_students, args.library_projects, args.choices, SEED + 1)
    dicts = (r["student_prefs"], r["project_prefs"], r["capacity_dict"])
    arrays = (r["lists"], r["choice_ranks"], r["capacities"])
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 100_000))  # the library recurses over its players
    try:
        library_s, by_library = timed(1, lambda: library_solution(*dicts))
    finally:
        sys.setrecursionlimit(old_limit)
    textbook_s, by_textbook = timed(3, lambda: textbook_deferred_acceptance(*dicts))
    dict_s, by_dict = timed(args.repeat, lambda: deferred_acceptance(*dicts))
    core_s, by_core = timed(args.repeat, lambda: deferred_acceptance_compact(*arrays))
    core = {s: (int(j) if j >= 0 else None) for s, j in enumerate(by_core.tolist())}
    agree = by_library == by_dict == core == by_textbook
    if not agree:
        raise SystemExit("the matching library and deferred_acceptance disagree")
    return {
        "students": r["n"],
        "projects": r["m"],
        "choices": args.choices,
        "matched": sum(p is not None for p in by_dict.values()),
        "library": summary(library_s),
        "textbook": summary(textbook_s),
        "dict_api": summary(dict_s),
        "array_core": summary(core_s),
        "results_agree": agree,
    }


# --------------------------------------------------------------------------------------------
# 3. Recommendations
# --------------------------------------------------------------------------------------------


def make_pool(n_students: int, n_projects: int, seed: int):
    """Random students and projects: Zipf-like texts over 5,000 made-up words, 300 skills,
    dates over half a year."""
    rng = np.random.default_rng(seed)
    syllables = ["da", "ta", "py", "lo", "ma", "ke", "ri", "so", "nu", "vi", "qu", "ex", "ol"]
    vocabulary: set[str] = set()
    while len(vocabulary) < 5_000:
        vocabulary.add("".join(rng.choice(syllables, size=int(rng.integers(2, 5)))))
    words = sorted(vocabulary)
    frequency = 1.0 / np.arange(1, len(words) + 1)
    frequency /= frequency.sum()

    def texts(count: int, length: int) -> list[str]:
        drawn = rng.choice(len(words), size=(count, length), p=frequency)
        return [" ".join(map(words.__getitem__, row)) for row in drawn.tolist()]

    def levels(count: int, most: int) -> list[dict[int, int]]:
        sizes = rng.integers(0, most + 1, size=count).tolist()
        skills = rng.integers(1, 301, size=(count, most)).tolist()
        grades = rng.integers(1, 5, size=(count, most)).tolist()
        return [
            dict(zip(s[:k], g[:k], strict=True))
            for s, g, k in zip(skills, grades, sizes, strict=True)
        ]

    day0 = date(2025, 1, 6)
    starts = rng.integers(0, 180, size=n_projects).tolist()
    lengths = rng.integers(5, 90, size=n_projects).tolist()
    hours = rng.choice([5, 8, 10, 15, 20], size=n_projects).tolist()
    outcomes = texts(n_projects * 3, 4)
    projects = [
        ProjectInput(
            id=pid + 1,
            required=req,
            preferred=pref,
            text=text,
            learning_outcomes=outcomes[3 * pid : 3 * pid + 3],
            starts_on=day0 + timedelta(days=s),
            ends_on=day0 + timedelta(days=s + n),
            hours_per_week=h,
        )
        for pid, (req, pref, text, s, n, h) in enumerate(
            zip(
                levels(n_projects, 4),
                levels(n_projects, 3),
                texts(n_projects, 60),
                starts,
                lengths,
                hours,
                strict=True,
            )
        )
    ]

    interests = texts(n_students * 3, 2)
    goals = texts(n_students * 2, 4)
    n_windows = rng.integers(0, 4, size=n_students).tolist()
    window_starts = rng.integers(-30, 200, size=(n_students, 3)).tolist()
    window_lengths = rng.integers(7, 120, size=(n_students, 3)).tolist()
    weekly = rng.integers(4, 26, size=n_students).tolist()
    students = [
        StudentInput(
            id=sid + 1,
            skills=skills,
            interests=interests[3 * sid : 3 * sid + 3],
            about=about,
            learning_goals=goals[2 * sid : 2 * sid + 2],
            weekly_hours=w,
            windows=[
                (day0 + timedelta(days=a), day0 + timedelta(days=a + b))
                for a, b in zip(ws[:k], wl[:k], strict=True)
            ],
        )
        for sid, (skills, about, w, k, ws, wl) in enumerate(
            zip(
                levels(n_students, 8),
                texts(n_students, 30),
                weekly,
                n_windows,
                window_starts,
                window_lengths,
                strict=True,
            )
        )
    ]
    return students, projects


def reference_top(fits: list, k: int, key: str) -> list:
    """The ordering recommend and suggest_candidates promise, applied to per-pair scores."""
    return sorted(fits, key=lambda f: (-round(f.score, 9), getattr(f, key)))[:k]


def bench_recommendations(args: argparse.Namespace) -> dict[str, Any]:
    start = time.perf_counter()
    students, projects = make_pool(args.students, args.projects, SEED + 2)
    generated = time.perf_counter() - start

    text_s, text_index = timed(1, lambda: TextIndex.from_inputs(students, projects))
    project_s, project_index = timed(1, lambda: ProjectIndex(projects, text_index))
    student_s, student_index = timed(1, lambda: StudentIndex(students, text_index))

    # A ProjectIndex on its own, with a TextIndex over the projects' texts only: its build
    # time, then the peak memory of a second build under tracemalloc (which slows it down).
    alone_s, _ = timed(1, lambda: ProjectIndex(projects))
    tracemalloc.start()
    ProjectIndex(projects)
    alone_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    rng = np.random.default_rng(SEED + 3)
    who = rng.choice(len(students), size=args.queries, replace=False).tolist()
    which = rng.choice(len(projects), size=args.queries, replace=False).tolist()
    recommend_s: list[float] = []
    eligible_counts = []
    for i in who:
        (seconds,), _ = timed(1, lambda i=i: recommend(students[i], projects, 20, project_index))
        recommend_s.append(seconds)
        eligible_counts.append(int(project_index.scores(students[i]).eligible.sum()))
    suggest_s: list[float] = []
    candidate_counts = []
    for j in which:
        (seconds,), _ = timed(
            1, lambda j=j: suggest_candidates(projects[j], students, 50, student_index)
        )
        suggest_s.append(seconds)
        candidate_counts.append(int(student_index.scores(projects[j]).eligible.sum()))

    # Checks against the per-pair code: every score for one student and one project, and the
    # top lists against a brute-force ranking (scores from score_fit, sorted as promised).
    student, project = students[who[0]], projects[which[0]]
    scores = project_index.scores(student)
    fits = [score_fit(student, p, text_index) for p in projects]
    max_diff = max(abs(f.score - s) for f, s in zip(fits, scores.score.tolist(), strict=True))
    eligible = [
        f for f, p in zip(fits, projects, strict=True) if passes_hard_constraints(student, p)
    ]
    recommend_ok = recommend(student, projects, 20, project_index) == reference_top(
        eligible, 20, "project_id"
    )
    scores = student_index.scores(project)
    fits = [score_fit(s, project, text_index) for s in students]
    max_diff = max(
        max_diff, max(abs(f.score - s) for f, s in zip(fits, scores.score.tolist(), strict=True))
    )
    eligible = [
        f for f, s in zip(fits, students, strict=True) if passes_hard_constraints(s, project)
    ]
    suggest_ok = suggest_candidates(project, students, 50, student_index) == reference_top(
        eligible, 50, "student_id"
    )
    if not (recommend_ok and suggest_ok and max_diff <= 1e-9):
        raise SystemExit("vectorised rankings disagree with the per-pair scores")

    def ms(times: list[float]) -> dict[str, float]:
        return {
            "median_ms": round(1000 * statistics.median(times), 2),
            "p90_ms": round(1000 * float(np.percentile(times, 90)), 2),
            "best_ms": round(1000 * min(times), 2),
            "queries": len(times),
        }

    return {
        "students": len(students),
        "projects": len(projects),
        "generate_s": round(generated, 2),
        "vocabulary": text_index.vocabulary_size,
        "text_index_build_s": round(text_s[0], 2),
        "project_index_build_s": round(project_s[0], 2),
        "student_index_build_s": round(student_s[0], 2),
        "project_index_nbytes": project_index.nbytes,
        "student_index_nbytes": student_index.nbytes,
        "project_index_alone_build_s": round(alone_s[0], 2),
        "project_index_alone_tracemalloc_peak_bytes": alone_peak,
        "recommend_top20": ms(recommend_s),
        "recommend_eligible_projects_median": int(statistics.median(eligible_counts)),
        "suggest_top50": ms(suggest_s),
        "suggest_eligible_students_median": int(statistics.median(candidate_counts)),
        "max_abs_diff_vs_score_fit": max_diff,
        "top_lists_match_brute_force": recommend_ok and suggest_ok,
    }


# --------------------------------------------------------------------------------------------


def report(results: dict[str, Any]) -> None:
    da = results["deferred_acceptance"]
    print(
        f"1. Deferred acceptance: {da['students']:,} students x {da['projects']:,} projects, "
        f"{da['choices']} choices, {da['places']:,} places, {da['matched']:,} matched"
    )
    header = f"   {'':<34} {'best s':>8} {'median s':>9} {'runs':>5} {'speed-up (median)':>18}"
    print(header)
    rows = [
        ("textbook pure Python (dicts, heaps)", da["textbook"], None),
        ("deferred_acceptance (dict API)", da["dict_api"], da["speedup_dict_api_median"]),
        ("deferred_acceptance_compact (arrays)", da["array_core"], da["speedup_array_core_median"]),
    ]
    for label, t, speedup in rows:
        ratio = f"{speedup:.1f}x" if speedup is not None else "1.0x"
        print(
            f"   {label:<36} {t['best_s']:>6.3f} {t['median_s']:>9.3f} {t['runs']:>5} {ratio:>18}"
        )
    dict_ok = "met" if da["speedup_dict_api_median"] >= 2 else "NOT met"
    core_ok = "met" if da["speedup_array_core_median"] >= 10 else "NOT met"
    print(
        f"   required: dict API >= 2x ({dict_ok}), array core >= 10x ({core_ok}); "
        f"all three agree: {da['results_agree']}; stable: {da['is_stable']}"
    )

    lib = results.get("library")
    if lib:
        print(
            f"\n2. The `matching` library on {lib['students']:,} x {lib['projects']:,} "
            f"({lib['matched']:,} matched)"
        )
        print(f"   {'':<36} {'best s':>8} {'median s':>9} {'runs':>5} {'vs library':>11}")
        for label, key in (
            ("matching.HospitalResident", "library"),
            ("textbook pure Python", "textbook"),
            ("deferred_acceptance (dict API)", "dict_api"),
            ("deferred_acceptance_compact (arrays)", "array_core"),
        ):
            t = lib[key]
            ratio = lib["library"]["median_s"] / t["median_s"]
            print(
                f"   {label:<36} {t['best_s']:>8.3f} {t['median_s']:>9.3f} {t['runs']:>5} "
                f"{ratio:>10.0f}x"
            )
        print(f"   matchings agree: {lib['results_agree']}")

    rec = results["recommendations"]
    print(
        f"\n3. Recommendations: {rec['students']:,} students, {rec['projects']:,} projects, "
        f"{rec['vocabulary']:,} terms"
    )
    mib = 2**20
    print(
        f"   build: TextIndex over all texts {rec['text_index_build_s']:.2f} s, then ProjectIndex "
        f"{rec['project_index_build_s']:.2f} s, StudentIndex {rec['student_index_build_s']:.2f} s"
    )
    print(
        f"   build: ProjectIndex alone (its TextIndex over project texts) "
        f"{rec['project_index_alone_build_s']:.2f} s, tracemalloc peak "
        f"{rec['project_index_alone_tracemalloc_peak_bytes'] / mib:.1f} MiB"
    )
    print(
        f"   memory: ProjectIndex arrays {rec['project_index_nbytes'] / mib:.1f} MiB, "
        f"StudentIndex arrays {rec['student_index_nbytes'] / mib:.1f} MiB"
    )
    for label, key, limit, pool in (
        ("recommend, top 20 projects", "recommend_top20", 20, "recommend_eligible_projects_median"),
        ("suggest_candidates, top 50", "suggest_top50", 100, "suggest_eligible_students_median"),
    ):
        t = rec[key]
        verdict = "met" if t["median_ms"] <= limit else "NOT met"
        print(
            f"   {label:<28} median {t['median_ms']:6.2f} ms  p90 {t['p90_ms']:6.2f} ms  "
            f"best {t['best_ms']:6.2f} ms  ({t['queries']} queries, ~{rec[pool]:,} eligible)"
            f"  <= {limit} ms: {verdict}"
        )
    print(
        f"   max |vectorised - score_fit| = {rec['max_abs_diff_vs_score_fit']:.1e}; "
        f"top lists equal brute force: {rec['top_lists_match_brute_force']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--choices", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7, help="runs of our implementations")
    parser.add_argument("--textbook-repeat", type=int, default=5, help="runs of the textbook one")
    parser.add_argument("--library-students", type=int, default=10_000)
    parser.add_argument("--library-projects", type=int, default=2_000)
    parser.add_argument("--skip-library", action="store_true")
    parser.add_argument("--queries", type=int, default=40, help="recommendation queries timed")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.textbook_repeat = min(args.textbook_repeat, args.repeat)

    started = time.perf_counter()
    results: dict[str, Any] = {
        "seed": SEED,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    results["deferred_acceptance"] = bench_deferred_acceptance(args)
    print("  deferred acceptance done", file=sys.stderr)
    if not args.skip_library:
        results["library"] = bench_library(args)
        print("  library comparison done", file=sys.stderr)
    results["recommendations"] = bench_recommendations(args)
    results["django_imported"] = "django" in sys.modules
    results["total_s"] = round(time.perf_counter() - started, 1)

    report(results)
    print(f"\nTotal {results['total_s']:.1f} s; Django imported: {results['django_imported']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
