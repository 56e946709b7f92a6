"""StudentIndex.update / remove: after any sequence of edits the index ranks exactly as one built
afresh over the students as they now are, and as the per-pair code over a fresh text index."""

import random
from dataclasses import replace

import numpy as np
import pytest

from practicum.matching import StudentIndex, StudentInput, TextIndex, suggest_candidates
from practicum.matching.scoring import COMPONENTS, CorpusTextIndex
from tests.matching.test_ranking import (
    WORDS,
    assert_close_to_score_fit,
    brute_force,
    pool,
    random_student,
)

#: Term ids of an updated index differ from a rebuilt one's, so floats are summed in another
#: order: equal to the last bits.
CLOSE = 1e-12


def edited(student: StudentInput, rng: random.Random) -> StudentInput:
    """The student after one profile edit (of one to all of the fields the engine reads)."""
    fresh = random_student(student.id, rng)
    fields = rng.sample(
        ["skills", "interests", "about", "learning_goals", "weekly_hours", "windows"],
        rng.randint(1, 6),
    )
    return replace(student, **{name: getattr(fresh, name) for name in fields})


def assert_same_as_rebuilt(index: StudentIndex, students: dict[int, StudentInput], projects):
    rebuilt = StudentIndex(sorted(students.values(), key=lambda s: s.id))
    assert index.student_ids() == rebuilt.student_ids() == sorted(students)
    rows = {pk: row for row, pk in enumerate(index.ids.tolist()) if index._alive[row]}
    order = [rows[pk] for pk in rebuilt.ids.tolist()]
    for project in projects:
        got, want = index.scores(project), rebuilt.scores(project)
        assert np.allclose(got.score[order], want.score, rtol=0, atol=CLOSE)
        for name in COMPONENTS:
            assert np.allclose(got.components[name][order], want.components[name], atol=CLOSE)
        assert (got.eligible[order] == want.eligible).all()
        for k in (1, 5, None):
            assert index.best(project, k) == rebuilt.best(project, k)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_edits_additions_and_removals_rank_as_a_rebuild(seed):
    rng = random.Random(seed)
    students, projects = pool(seed, 40, 25)
    current = {s.id: s for s in students}
    index = StudentIndex(students)
    for step in range(30):
        action = rng.random()
        if action < 0.6:  # a profile edit
            student = edited(current[rng.choice(sorted(current))], rng)
            index.update([student])
            current[student.id] = student
        elif action < 0.8:  # a student becomes discoverable
            student = random_student(10_000 + step, rng)
            index.update([student])
            current[student.id] = student
        elif len(current) > 1:  # one hides
            gone = rng.choice(sorted(current))
            index.remove([gone])
            del current[gone]
        if step % 10 == 9:
            assert_same_as_rebuilt(index, current, projects)
    assert_same_as_rebuilt(index, current, projects)


def test_scores_after_updates_equal_score_fit_over_a_fresh_text_index():
    """The idf follows the corpus: the per-pair code with a TextIndex built over the students
    as they now are gives the same numbers."""
    rng = random.Random(7)
    students, projects = pool(7, 30, 10)
    index = StudentIndex(students)
    now = list(students)
    for i in rng.sample(range(len(now)), 12):
        now[i] = edited(now[i], rng)
    index.update(now)
    fresh = TextIndex.from_inputs(now, ())
    rows = [int(np.flatnonzero(index.ids == s.id)[0]) for s in now]
    for project in projects:
        scores = index.scores(project)
        picked = type(scores)(
            scores.score[rows],
            {k: v[rows] for k, v in scores.components.items()},
            scores.eligible[rows],
        )
        assert_close_to_score_fit(picked, [(s, project) for s in now], fresh)


def test_ranking_the_loaded_top_with_the_text_index_equals_the_brute_force():
    """What the Django side does: best() picks the ids, the inputs loaded for them are ranked
    with the index's text index, as score_fit over everyone would rank them."""
    students, projects = pool(11, 60, 10)
    index = StudentIndex(students)
    changed = [replace(s, interests=["python", "dashboards"]) for s in students[:20]]
    index.update(changed)
    now = {s.id: s for s in students} | {s.id: s for s in changed}
    fresh = TextIndex.from_inputs(now.values(), ())
    for project in projects:
        ids = index.best(project, 6)
        got = suggest_candidates(project, [now[i] for i in ids], 6, index.text_index)
        want = brute_force([(s, project) for s in now.values()], 6, fresh, "student_id")
        assert [f.student_id for f in got] == [f.student_id for f in want]
        for a, b in zip(got, want, strict=True):
            assert abs(a.score - b.score) <= CLOSE
            assert [r.code for r in a.reasons] == [r.code for r in b.reasons]


def test_an_edited_copy_is_not_scored_from_the_old_row():
    students, projects = pool(5, 10, 3)
    index = StudentIndex(students)
    copy = replace(students[0], interests=[*students[0].interests, "knitting"])
    with pytest.raises(ValueError, match="has changed since the index was built"):
        suggest_candidates(projects[0], [copy], 3, index)
    index.update([copy])
    assert suggest_candidates(projects[0], [copy], 3, index) == suggest_candidates(
        projects[0], [copy], 3, index.text_index
    )


def test_removed_students_are_never_candidates():
    students, projects = pool(9, 20, 5)
    index = StudentIndex(students)
    gone = {s.id for s in students[:10]}
    index.remove(gone)
    index.remove([10**9])  # not in the index: nothing happens
    assert len(index) == 10
    for project in projects:
        assert not gone & set(index.best(project, None))


def test_the_corpus_index_weighs_as_a_text_index_over_the_same_texts():
    texts = [" ".join(random.Random(i).choices(WORDS, k=5)) for i in range(30)]
    corpus = CorpusTextIndex(texts[:20])
    corpus.change(
        added=[corpus.term_counts(t)[0] for t in texts[20:]],
        removed=[corpus.term_counts(t)[0] for t in texts[:5]],
    )
    plain = TextIndex(texts[5:])
    for a in texts:
        for b in texts[:8]:
            assert abs(corpus.similarity(a, b) - plain.similarity(a, b)) <= CLOSE
