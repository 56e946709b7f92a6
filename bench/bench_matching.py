"""Benchmark of the pure matching engine (no Django).

Generates random rounds with a fixed seed (students x projects with 10 choices each, popular
projects more popular, projects ranking most of their applicants), times deferred acceptance
through the dict API and the array cores (best of N), checks stability on the smaller rounds,
and times recommendations of one student against 5,000 projects.

    .venv/bin/python bench/bench_matching.py            # full run, writes bench/results/
    .venv/bin/python bench/bench_matching.py --sizes 1000 --projects 500 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from practicum.matching import (  # noqa: E402 -- after the path set-up above
    UNRANKED,
    ProjectInput,
    StudentInput,
    TextIndex,
    deferred_acceptance,
    deferred_acceptance_arrays,
    deferred_acceptance_compact,
    is_stable,
    recommend,
    suggest_candidates,
)

SEED = 20240601
CHOICES = 10
STUDENTS_PER_PROJECT = 10
DENSE_LIMIT = 10_000  # the dense n_projects x n_students matrix is skipped above this


def best_of(repeat: int, fn):
    """(best seconds, last result) over ``repeat`` runs."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


# --------------------------------------------------------------------------------------------
# Rounds
# --------------------------------------------------------------------------------------------


def make_round(n: int, rng: np.random.Generator) -> dict:
    """A random round: students 0..n-1, projects 0..m-1, all as arrays and as dicts."""
    m = max(1, n // STUDENTS_PER_PROJECT)
    width = min(CHOICES, m)
    popularity = np.log(rng.pareto(1.5, m) + 1.0)
    lists = np.empty((n, width), dtype=np.int64)
    chunk = max(1, 4_000_000 // m)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        # Gumbel top-k: a weighted sample without replacement, in preference order.
        keys = popularity[None, :] + rng.gumbel(size=(hi - lo, m))
        top = np.argpartition(-keys, width - 1, axis=1)[:, :width]
        order = np.argsort(-np.take_along_axis(keys, top, axis=1), axis=1)
        lists[lo:hi] = np.take_along_axis(top, order, axis=1)

    # Projects rank applicants by a shared "strength" plus their own noise, and leave ~10% out.
    strength = rng.normal(size=n)
    students = np.repeat(np.arange(n), width)
    projects = lists.ravel()
    score = strength[students] + rng.normal(scale=0.7, size=students.size)
    kept = rng.random(students.size) >= 0.10
    order = np.lexsort((-score, projects))
    order = order[kept[order]]
    sorted_projects = projects[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_projects)) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, sorted_projects.size]))
    rank_sorted = np.arange(sorted_projects.size) - group_start
    choice_ranks = np.full(students.size, UNRANKED, dtype=np.int64)
    choice_ranks[order] = rank_sorted
    choice_ranks = choice_ranks.reshape(n, width)
    capacities = rng.integers(1, 16, m)

    student_prefs = {i: row for i, row in enumerate(lists.tolist())}
    project_prefs: dict[int, list[int]] = {j: [] for j in range(m)}
    for j, s in zip(sorted_projects.tolist(), students[order].tolist(), strict=True):
        project_prefs[j].append(s)
    return {
        "n": n,
        "m": m,
        "lists": lists,
        "choice_ranks": choice_ranks,
        "capacities": capacities,
        "student_prefs": student_prefs,
        "project_prefs": project_prefs,
        "capacity_dict": {j: int(c) for j, c in enumerate(capacities)},
    }


def dense_ranks(r: dict) -> np.ndarray:
    dense = np.full((r["m"], r["n"]), UNRANKED, dtype=np.int64)
    rows = r["lists"].ravel()
    cols = np.repeat(np.arange(r["n"]), r["lists"].shape[1])
    dense[rows, cols] = r["choice_ranks"].ravel()
    return dense


def bench_round(n: int, rng: np.random.Generator, repeat: int, check_up_to: int) -> dict:
    t0 = time.perf_counter()
    r = make_round(n, rng)
    generated = time.perf_counter() - t0
    reps = repeat if n <= 10_000 else max(1, repeat // 2)

    dict_s, by_dict = best_of(
        reps,
        lambda: deferred_acceptance(r["student_prefs"], r["project_prefs"], r["capacity_dict"]),
    )
    compact_s, by_core = best_of(
        reps,
        lambda: deferred_acceptance_compact(r["lists"], r["choice_ranks"], r["capacities"]),
    )
    as_dict = {i: (j if j >= 0 else None) for i, j in enumerate(by_core.tolist())}
    if as_dict != by_dict:
        raise SystemExit(f"array core and dict API disagree on the {n}-student round")

    dense_s = None
    if n <= DENSE_LIMIT:
        dense = dense_ranks(r)
        dense_s, by_dense = best_of(
            reps, lambda: deferred_acceptance_arrays(r["lists"], dense, r["capacities"])
        )
        if not np.array_equal(by_dense, by_core):
            raise SystemExit(f"dense and compact cores disagree on the {n}-student round")
        del dense

    stable = None
    stable_s = None
    if n <= check_up_to:
        stable_s, stable = best_of(
            1,
            lambda: is_stable(by_dict, r["student_prefs"], r["project_prefs"], r["capacity_dict"]),
        )
        if not stable:
            raise SystemExit(f"the {n}-student round is not stable")

    matched = int((by_core >= 0).sum())
    return {
        "students": n,
        "projects": r["m"],
        "choices": int(r["lists"].shape[1]),
        "places": int(r["capacities"].sum()),
        "matched": matched,
        "generate_s": round(generated, 4),
        "repeat": reps,
        "dict_api_s": round(dict_s, 4),
        "compact_core_s": round(compact_s, 4),
        "dense_core_s": None if dense_s is None else round(dense_s, 4),
        "is_stable": stable,
        "is_stable_s": None if stable_s is None else round(stable_s, 4),
    }


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def make_words(rng: np.random.Generator, count: int) -> list[str]:
    syllables = ["da", "ta", "py", "lo", "ma", "ke", "ri", "so", "nu", "vi", "qu", "ex", "ol"]
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables, size=rng.integers(2, 4))))
    return sorted(words)


def bench_scoring(n_projects: int, rng: np.random.Generator, repeat: int) -> dict:
    words = make_words(rng, 600)
    weights = 1.0 / np.arange(1, len(words) + 1)  # Zipf-like word frequencies
    weights /= weights.sum()

    def text(k: int) -> str:
        return " ".join(rng.choice(words, size=k, p=weights))

    def levels(k: int) -> dict[int, int]:
        return {int(s): int(rng.integers(1, 5)) for s in rng.choice(200, size=k, replace=False)}

    start = date(2025, 1, 6)
    projects = []
    for pid in range(1, n_projects + 1):
        begins = start + timedelta(days=int(rng.integers(0, 120)))
        projects.append(
            ProjectInput(
                id=pid,
                required=levels(int(rng.integers(0, 5))),
                preferred=levels(int(rng.integers(0, 4))),
                text=text(60),
                learning_outcomes=[text(5) for _ in range(3)],
                starts_on=begins,
                ends_on=begins + timedelta(days=int(rng.integers(5, 60))),
                hours_per_week=int(rng.choice([5, 8, 10, 15, 20])),
            )
        )
    students = [
        StudentInput(
            id=sid,
            skills=levels(8),
            interests=[text(2) for _ in range(4)],
            about=text(40),
            learning_goals=[text(4) for _ in range(3)],
            weekly_hours=int(rng.integers(5, 25)),
            windows=[
                (start + timedelta(days=d), start + timedelta(days=d + int(rng.integers(30, 150))))
                for d in rng.integers(0, 60, size=2).tolist()
            ],
        )
        for sid in range(1, n_projects + 1)
    ]
    student, project = students[0], projects[0]

    index_s, index = best_of(1, lambda: TextIndex.from_inputs(students, projects))
    cold_s, top = best_of(1, lambda: recommend(student, projects, 10, index))
    warm_s, top = best_of(repeat, lambda: recommend(student, projects, 10, index))
    suggest_s, candidates = best_of(
        repeat, lambda: suggest_candidates(project, students, 10, index)
    )
    return {
        "projects": n_projects,
        "students": len(students),
        "eligible_projects": sum(1 for _ in recommend(student, projects, None, index)),
        "index_build_s": round(index_s, 4),
        "vocabulary": index.vocabulary_size,
        "recommend_cold_s": round(cold_s, 4),
        "recommend_warm_s": round(warm_s, 4),
        "suggest_candidates_s": round(suggest_s, 4),
        "top_score": round(top[0].score, 4) if top else None,
        "top_candidate_score": round(candidates[0].score, 4) if candidates else None,
    }


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--projects", type=int, default=5_000, help="projects for scoring")
    parser.add_argument("--repeat", type=int, default=5, help="best of N")
    parser.add_argument("--check-up-to", type=int, default=10_000, help="is_stable up to n")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "matching.json")
    args = parser.parse_args()

    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    rounds = []
    for n in args.sizes:
        rounds.append(bench_round(n, rng, args.repeat, args.check_up_to))
        print(f"  round of {n} students done", file=sys.stderr)
    scoring = bench_scoring(args.projects, rng, args.repeat)

    header = (
        f"{'students':>9} {'projects':>8} {'places':>7} {'matched':>8} "
        f"{'dict API':>9} {'compact':>9} {'dense':>9} {'stable':>7} {'is_stable':>9}"
    )
    print("Deferred acceptance (best of N, seconds)")
    print(header)
    print("-" * len(header))

    def fmt(x):
        return f"{x:9.4f}" if x is not None else f"{'-':>9}"

    for r in rounds:
        stable = {True: "yes", False: "NO", None: "-"}[r["is_stable"]]
        print(
            f"{r['students']:>9} {r['projects']:>8} {r['places']:>7} {r['matched']:>8} "
            f"{fmt(r['dict_api_s'])} {fmt(r['compact_core_s'])} {fmt(r['dense_core_s'])} "
            f"{stable:>7} {fmt(r['is_stable_s'])}"
        )
    print()
    print(f"Scoring: 1 student against {scoring['projects']} projects (seconds)")
    for key in (
        "index_build_s",
        "recommend_cold_s",
        "recommend_warm_s",
        "suggest_candidates_s",
        "eligible_projects",
        "vocabulary",
    ):
        print(f"  {key:<22} {scoring[key]}")

    total = time.perf_counter() - started
    print(f"\nTotal {total:.1f} s")
    results = {
        "seed": SEED,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "django_imported": "django" in sys.modules,
        "total_s": round(total, 2),
        "rounds": rounds,
        "scoring": scoring,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
