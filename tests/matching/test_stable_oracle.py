"""Deferred acceptance against the `matching` library (HospitalResident, resident-optimal)."""

import warnings

from hypothesis import given, settings

from practicum.matching import deferred_acceptance
from tests.matching.helpers import instances


def library_solution(students, projects, capacities):
    """Resident-optimal matching from the `matching` library, as {student: project or None}.

    The library wants consistent preferences: residents rank only hospitals that rank them and
    vice versa, every resident ranks someone, and hospitals have at least one place. So the
    instance is cleaned first; whoever is cleaned away is unmatched in any case.
    """
    # Imported here, inside the test's warning capture: the library turns on
    # warnings.simplefilter("always") when it is imported.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from matching.games import HospitalResident

        open_projects = {p for p in projects if capacities[p] > 0}
        resident_prefs = {
            s: [p for p in prefs if p in open_projects and s in projects[p]]
            for s, prefs in students.items()
        }
        resident_prefs = {s: prefs for s, prefs in resident_prefs.items() if prefs}
        hospital_prefs = {
            p: [s for s in projects[p] if s in resident_prefs and p in resident_prefs[s]]
            for p in sorted(open_projects)
        }
        result = dict.fromkeys(students)
        if not resident_prefs:
            return result
        game = HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, {p: capacities[p] for p in hospital_prefs}
        )
        solution = game.solve(optimal="resident")
        assert game.check_validity()
        assert game.check_stability()
    for hospital, residents in solution.items():
        for resident in residents:
            result[resident.name] = hospital.name
    return result


@settings(max_examples=150, deadline=None)
@given(instances(max_students=12, max_projects=6, max_capacity=3))
def test_agrees_with_matching_library(instance):
    students, projects, capacities = instance
    assert deferred_acceptance(students, projects, capacities) == library_solution(
        students, projects, capacities
    )


def test_agrees_with_matching_library_on_a_bigger_instance():
    import random

    rng = random.Random(2024)
    students = {i: rng.sample([f"h{j}" for j in range(15)], rng.randint(1, 6)) for i in range(120)}
    projects = {}
    for j in range(15):
        p = f"h{j}"
        applicants = [s for s, prefs in students.items() if p in prefs]
        rng.shuffle(applicants)
        projects[p] = applicants[: max(0, len(applicants) - rng.randint(0, 3))]
    capacities = {p: rng.randint(1, 6) for p in projects}
    assert deferred_acceptance(students, projects, capacities) == library_solution(
        students, projects, capacities
    )
