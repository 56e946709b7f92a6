"""Explainable fit scores between students and projects.

A fit score is a weighted mean of five components, each in ``[0, 1]``:

``required``
    Coverage of the project's required skills. A skill held at the minimum level asked (or
    higher) counts 1, one level short counts :data:`PARTIAL_CREDIT` (0.5), anything else 0; the
    component is the mean over required skills, and 1.0 when nothing is required.
``preferred``
    The same rule over the preferred ("nice to have") skills.
``text``
    TF-IDF cosine similarity between the project's text and the student's interests, about text
    and learning goals (see :class:`TextIndex`).
``availability``
    ``day_share * hours_share``. ``day_share`` is the share of the project's working days
    (Monday to Friday, both ends included) covered by the student's availability windows;
    ``hours_share`` is ``min(1, weekly_hours / hours_per_week)``. The product is the share of the
    asked work (days x weekly hours) the student can supply: both are needed, so a student free
    on every day but for half the hours gets 0.5, not 0.75 as a mean would give. A student with
    no windows has not limited their dates and counts as available on every day. A project with
    no working day at all (a weekend) is counted in calendar days.
``learning``
    TF-IDF cosine similarity between the project's learning outcomes and the student's learning
    goals (0 when either is empty).

The default weights live in :class:`Weights` and nowhere else. Scores carry their explanation
as :class:`~practicum.matching.reasons.Reason` codes with parameters (``skills_some_met`` with
``met=3, count=4`` for the required skills); the Django side writes the sentences ("You have 3
of the 4 required skills at the level asked").

Hard constraints (:func:`passes_hard_constraints`) filter pairs before ranking: the student must
be available on at least :data:`MIN_WORKING_DAYS` working day of the project, and offer at least
:data:`MIN_HOURS_FRACTION` (half) of the weekly hours asked.

This module scores one pair at a time and gives its reasons. Rankings over many pairs
(``recommend``, ``suggest_candidates``) live in :mod:`practicum.matching.ranking`, vectorised
over prebuilt indexes, and return the very FitScores that :func:`score_fit` gives.

No Django here: the Django side builds :class:`StudentInput` / :class:`ProjectInput` from rows.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from itertools import chain

import numpy as np

from practicum.matching.reasons import Reason, ReasonCode

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "MIN_HOURS_FRACTION",
    "MIN_WORKING_DAYS",
    "PARTIAL_CREDIT",
    "STOPWORDS",
    "CorpusTextIndex",
    "FitScore",
    "ProjectInput",
    "StudentInput",
    "TextIndex",
    "Weights",
    "hard_constraint_failures",
    "passes_hard_constraints",
    "score_fit",
    "tokenize",
    "working_days",
]

#: Credit for a skill held exactly one level below the minimum asked.
PARTIAL_CREDIT = 0.5
#: Hard constraint: the student must offer at least this share of the weekly hours asked.
MIN_HOURS_FRACTION = 0.5
#: Hard constraint: the student must be available on at least this many of the project's
#: working days (calendar days for a project with no working day).
MIN_WORKING_DAYS = 1

COMPONENTS = ("required", "preferred", "text", "availability", "learning")


@dataclass(frozen=True)
class Weights:
    """Weights of the fit components: the single place where the defaults live.

    They need not sum to 1: the score divides by their total, so it always stays in ``[0, 1]``.
    """

    required: float = 0.35
    preferred: float = 0.15
    text: float = 0.20
    availability: float = 0.20
    learning: float = 0.10

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"weight {f.name!r} must be a number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {f.name!r} must be a finite number >= 0, got {value}")
        if self.total <= 0:
            raise ValueError("at least one weight must be positive")

    @property
    def total(self) -> float:
        return sum(getattr(self, name) for name in COMPONENTS)

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in COMPONENTS}


DEFAULT_WEIGHTS = Weights()


# --------------------------------------------------------------------------------------------
# Inputs and output
# --------------------------------------------------------------------------------------------


def _check_levels(levels: Mapping[int, int], what: str) -> None:
    for skill, level in levels.items():
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
            raise ValueError(f"{what} level of skill {skill!r} must be 1 to 4, got {level!r}")


@dataclass(frozen=True)
class StudentInput:
    """What the engine needs to know about a student."""

    id: int
    skills: dict[int, int] = field(default_factory=dict)  # skill id -> level 1..4
    interests: list[str] = field(default_factory=list)
    about: str = ""
    learning_goals: list[str] = field(default_factory=list)
    weekly_hours: int = 0
    #: Inclusive date ranges when the student is available. Empty: dates not limited.
    windows: list[tuple[date, date]] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check_levels(self.skills, "student")
        if self.weekly_hours < 0:
            raise ValueError(f"weekly_hours must be 0 or more, got {self.weekly_hours}")
        for start, end in self.windows:
            if end < start:
                raise ValueError(f"availability window ends ({end}) before it starts ({start})")

    @property
    def text(self) -> str:
        """Interests, about text and learning goals: matched against the project's text."""
        return " ".join([*self.interests, self.about, *self.learning_goals])

    @property
    def goals_text(self) -> str:
        return " ".join(self.learning_goals)


@dataclass(frozen=True)
class ProjectInput:
    """What the engine needs to know about a project."""

    id: int
    required: dict[int, int] = field(default_factory=dict)  # skill id -> minimum level 1..4
    preferred: dict[int, int] = field(default_factory=dict)
    text: str = ""
    learning_outcomes: list[str] = field(default_factory=list)
    starts_on: date = date(1970, 1, 1)
    ends_on: date = date(1970, 1, 1)
    hours_per_week: int = 0

    def __post_init__(self) -> None:
        _check_levels(self.required, "required")
        _check_levels(self.preferred, "preferred")
        if self.ends_on < self.starts_on:
            raise ValueError(
                f"project {self.id!r} ends ({self.ends_on}) before it starts ({self.starts_on})"
            )
        if self.hours_per_week < 0:
            raise ValueError(f"hours_per_week must be 0 or more, got {self.hours_per_week}")

    @property
    def outcomes_text(self) -> str:
        return " ".join(self.learning_outcomes)


@dataclass(frozen=True)
class FitScore:
    """A score in ``[0, 1]`` with its components, the weights used and the reasons, in order:
    required skills, preferred skills, availability, text, learning."""

    student_id: int
    project_id: int
    score: float
    components: dict[str, float]
    weights: Weights
    reasons: list[Reason]


# --------------------------------------------------------------------------------------------
# Text: tokenizer and TF-IDF index
# --------------------------------------------------------------------------------------------

#: A small English stopword list; anything longer would start removing meaningful words.
STOPWORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each etc few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my myself no nor not of off on once only or other our ours out over own same
    she should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why
    will with would you your yours yourself
    """.split()  # noqa: SIM905 -- a word list reads better as text
)

# A token starts with a letter or digit and may go on with letters, digits and + # . inside
# ("c++", "c#", "node.js"), never ending with a dot.
_TOKEN = re.compile(r"[^\W_](?:[\w+#.]*[\w+#])?")


def _singular(token: str) -> str:
    """A light plural rule so "dashboards" meets "dashboard"; not a stemmer."""
    if not token.isalpha():
        return token
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is", "es")):
        return token[:-1]
    return token


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens, stopwords removed, simple plurals made singular."""
    return [_singular(t) for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]


_Vector = tuple[np.ndarray, np.ndarray]  # (term ids sorted, L2-normalised weights)
#: 1 + ln(count) for the small counts nearly every word has.
_TF = [0.0] + [1 + math.log(c) for c in range(1, 32)]
_TF_ARRAY = np.array(_TF)
#: Between texts searched at once (TextIndex.term_matrix): a word no lowered text contains.
_SEPARATOR = " QSEPQ "
_SEPARATOR_ID = -2
_CHUNK = 20_000


def _tf(count: int) -> float:
    return _TF[count] if count < len(_TF) else 1 + math.log(count)


class _TokenIds(dict):
    """Word as found -> term id, filled on first sight (-1 for a stopword)."""

    def __init__(self, term_id) -> None:
        super().__init__({_SEPARATOR.strip(): _SEPARATOR_ID})
        self._term_id = term_id

    def __missing__(self, token: str) -> int:
        value = -1 if token in STOPWORDS else self._term_id(_singular(token))
        self[token] = value
        return value


class TextIndex:
    """TF-IDF vectors over a corpus, built once and used to score many pairs.

    ``idf(t) = ln((1 + n_docs) / (1 + df(t))) + 1`` (smoothed, never zero) and the term weight
    is ``(1 + ln(count)) * idf``; vectors are L2-normalised so the dot product is the cosine.
    Terms never seen in the corpus get the highest idf. Vectors are cached by text: corpus
    texts are vectorised when the index is built, other texts on first use, so scoring one
    student against thousands of projects tokenizes each text once per index. Up to
    :attr:`EXTRA_CACHE` texts outside the corpus are kept (then that cache starts over), so a
    long-lived index does not grow with every query; a text vectorised again gets the same
    vector.
    """

    #: How many texts outside the corpus stay cached.
    EXTRA_CACHE = 20_000

    def __init__(self, corpus: Iterable[str] = ()) -> None:
        df: Counter[str] = Counter()
        n_docs = 0
        counted: dict[str, Counter[str]] = {}
        for doc in corpus:
            n_docs += 1
            counts = counted.get(doc)
            if counts is None:
                counts = counted[doc] = Counter(tokenize(doc))
            df.update(counts.keys())
        self.n_docs = n_docs
        self._terms: list[str] = sorted(df)
        self._ids: dict[str, int] = {t: i for i, t in enumerate(self._terms)}
        self._idf: list[float] = [math.log((1 + n_docs) / (1 + df[t])) + 1 for t in self._terms]
        self._unseen_idf = math.log(1 + n_docs) + 1
        # The corpus is vectorised now, while its tokens are at hand.
        self._cache: dict[str, _Vector] = {
            doc: self._weigh(counts) for doc, counts in counted.items()
        }
        self._extra: dict[str, _Vector] = {}

    @property
    def vocabulary_size(self) -> int:
        return len(self._terms)

    @classmethod
    def from_inputs(
        cls, students: Iterable[StudentInput] = (), projects: Iterable[ProjectInput] = ()
    ) -> TextIndex:
        """An index whose corpus is every text of these students and projects."""
        corpus: list[str] = []
        for p in projects:
            corpus.extend((p.text, p.outcomes_text))
        for s in students:
            corpus.extend((s.text, s.goals_text))
        return cls(corpus)

    def _term_id(self, term: str) -> int:
        term_id = self._ids.get(term)
        if term_id is None:
            term_id = len(self._terms)
            self._ids[term] = term_id
            self._terms.append(term)
            self._idf.append(self._unseen_idf)
        return term_id

    def vector(self, text: str) -> _Vector:
        """(sorted term ids, weights) of ``text``, L2-normalised; empty arrays for no terms."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self._extra.get(text)
            if cached is None:
                if len(self._extra) >= self.EXTRA_CACHE:
                    self._extra.clear()
                cached = self._extra[text] = self._weigh(Counter(tokenize(text)))
        return cached

    def _weigh(self, counts: Counter[str]) -> _Vector:
        ids = np.fromiter((self._term_id(t) for t in counts), dtype=np.int64, count=len(counts))
        weights = np.fromiter(
            ((1 + math.log(c)) * self._idf[i] for c, i in zip(counts.values(), ids, strict=True)),
            dtype=np.float64,
            count=len(counts),
        )
        order = np.argsort(ids)
        ids, weights = ids[order], weights[order]
        norm = float(np.sqrt(weights @ weights)) if weights.size else 0.0
        if norm > 0:
            weights = weights / norm
        return ids, weights

    def term_counts(self, text: str) -> _Vector:
        """(sorted term ids, ``1 + ln(count)``) of ``text``: its weights before the idf and the
        normalisation, which no change of the corpus alters. Unseen terms join the vocabulary."""
        ids, tf = self.term_lists(text)
        return np.array(ids, dtype=np.int64), np.array(tf, dtype=np.float64)

    def term_lists(self, text: str) -> tuple[list[int], list[float]]:
        """:meth:`term_counts` as lists."""
        token_ids = self._token_table()
        counts: dict[int, int] = {}
        for term_id in map(token_ids.__getitem__, _TOKEN.findall(text.lower())):
            if term_id >= 0:
                counts[term_id] = counts.get(term_id, 0) + 1
        ids = sorted(counts)
        return ids, [_tf(counts[i]) for i in ids]

    def _token_table(self) -> _TokenIds:
        """Word as found -> term id (-1 for a stopword): each distinct word is singularised
        and looked up once per index."""
        table = self.__dict__.get("_token_ids")
        if table is None:
            table = self._token_ids = _TokenIds(self._term_id)
        return table

    def term_matrix(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`term_counts` of many texts at once, as CSR arrays (``indptr``, term ids,
        ``1 + ln(count)``): one pattern search and array operations per chunk of texts instead
        of Python work per text, for building an index over a university's students."""
        indptr = [np.zeros(1, dtype=np.int64)]
        indices, data = [], []
        table = self._token_table()
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            # Texts are lowered one by one, so the upper-case separator is in none of them.
            tokens = _TOKEN.findall(_SEPARATOR.join(t.lower() for t in chunk))
            ids = np.fromiter(map(table.__getitem__, tokens), dtype=np.int64, count=len(tokens))
            text_of = np.cumsum(ids == _SEPARATOR_ID)
            kept = ids >= 0
            width = len(self._terms) + 1
            keys, counts = np.unique(text_of[kept] * width + ids[kept], return_counts=True)
            rows = keys // width
            indices.append(keys % width)
            data.append(_TF_ARRAY[np.minimum(counts, _TF_ARRAY.size - 1)])
            large = np.flatnonzero(counts >= _TF_ARRAY.size)
            data[-1][large] = [_tf(c) for c in counts[large].tolist()]
            lengths = np.bincount(rows, minlength=len(chunk))
            indptr.append(indptr[-1][-1] + np.cumsum(lengths))
        return (
            np.concatenate(indptr),
            np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
            np.concatenate(data) if data else np.zeros(0),
        )

    def idf_array(self) -> np.ndarray:
        """The idf of every term id so far, as an array (rebuilt only when terms were added)."""
        cached = getattr(self, "_idf_cache", None)
        if cached is None or cached.size != len(self._idf):
            cached = self._idf_cache = np.array(self._idf, dtype=np.float64)
        return cached

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts, in ``[0, 1]``."""
        return float(self.similarities(a, [b])[0])

    def similarities(self, query: str, texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity of ``query`` with each of ``texts`` (one vectorised pass)."""
        vectors = [self.vector(t) for t in texts]
        q_ids, q_weights = self.vector(query)
        out = np.zeros(len(vectors))
        if not vectors or q_ids.size == 0:
            return out
        dense = np.zeros(len(self._terms))
        dense[q_ids] = q_weights
        lengths = np.fromiter((v[0].size for v in vectors), dtype=np.int64, count=len(vectors))
        if lengths.sum() == 0:
            return out
        all_ids = np.concatenate([v[0] for v in vectors])
        all_weights = np.concatenate([v[1] for v in vectors])
        segment = np.repeat(np.arange(len(vectors)), lengths)
        out = np.bincount(segment, weights=dense[all_ids] * all_weights, minlength=len(vectors))
        return np.clip(out, 0.0, 1.0)

    def shared_terms(self, a: str, b: str, limit: int = 5) -> list[str]:
        """Terms in both texts, the ones contributing most to their similarity first."""
        a_ids, a_weights = self.vector(a)
        b_ids, b_weights = self.vector(b)
        common, ia, ib = np.intersect1d(a_ids, b_ids, assume_unique=True, return_indices=True)
        contribution = a_weights[ia] * b_weights[ib]
        ranked = sorted(
            zip(contribution.tolist(), (self._terms[i] for i in common.tolist()), strict=True),
            key=lambda pair: (-pair[0], pair[1]),
        )
        return [term for _, term in ranked[:limit]]


class CorpusTextIndex(TextIndex):
    """A :class:`TextIndex` whose corpus changes one document at a time.

    It keeps each term's document frequency, so after :meth:`change` its weights are those a
    TextIndex built over the corpus as it now stands would give (the same idf formula; term
    ids differ, which only changes the order floats are summed in). Nothing of the corpus is
    cached: a vector is computed when asked for (and kept until the corpus next changes), so
    the index holds the vocabulary and two numbers per term whatever the number of documents.
    """

    def __init__(self, corpus: Iterable[str] = ()) -> None:
        self._terms = []
        self._ids = {}
        self._idf = []
        self._df: list[int] = []
        self.n_docs = 0
        self._unseen_idf = 1.0
        self._cache = {}
        self._extra = {}
        documents = [self.term_counts(doc)[0] for doc in corpus]
        self.change(added=documents)

    def _term_id(self, term: str) -> int:
        term_id = self._ids.get(term)
        if term_id is None:
            term_id = len(self._terms)
            self._ids[term] = term_id
            self._terms.append(term)
            self._idf.append(self._unseen_idf)
            self._df.append(0)
        return term_id

    def change(
        self, *, added: Iterable[Iterable[int]] = (), removed: Iterable[Iterable[int]] = ()
    ) -> None:
        """Count documents in (``added``) and out (``removed``), each given by its term ids
        (from :meth:`term_counts`; a removed one as it was counted in)."""
        added, removed = list(added), list(removed)
        df = self._df
        size = len(df)

        def counted(documents) -> np.ndarray:
            ids = np.fromiter(chain.from_iterable(documents), dtype=np.int64)
            return np.bincount(ids, minlength=size)

        self.count_in(counted(added) - counted(removed), len(added) - len(removed))

    def count_in(self, delta: np.ndarray, documents: int) -> None:
        """Add ``delta`` (per term id) to the document frequencies and ``documents`` to the
        number of documents; the idf follows."""
        df = self._df
        touched = np.flatnonzero(delta).tolist()
        for term_id, step in zip(touched, delta[touched].tolist(), strict=True):
            df[term_id] += step
        n_docs = self.n_docs + documents
        log, idf = math.log, self._idf
        if n_docs != self.n_docs:
            # Every idf depends on the number of documents.
            self._idf = [log((1 + n_docs) / (1 + d)) + 1 for d in df]
        else:
            for term_id in touched:
                idf[term_id] = log((1 + n_docs) / (1 + df[term_id])) + 1
        self.n_docs = n_docs
        self._unseen_idf = log(1 + n_docs) + 1
        self._extra = {}
        self._idf_cache = None

    def vector(self, text: str) -> _Vector:
        cached = self._extra.get(text)
        if cached is None:
            if len(self._extra) >= self.EXTRA_CACHE:
                self._extra.clear()
            cached = self._extra[text] = self._weigh(Counter(tokenize(text)))
        return cached

    def idf_array(self) -> np.ndarray:
        cached = self._idf_cache
        if cached is None or cached.size != len(self._idf):
            cached = self._idf_cache = np.array(self._idf, dtype=np.float64)
        return cached


# --------------------------------------------------------------------------------------------
# Components
# --------------------------------------------------------------------------------------------


# _WEEKDAYS_IN_REST[w][r]: Mondays to Fridays among r consecutive days starting on weekday w.
_WEEKDAYS_IN_REST = [[sum((w + i) % 7 < 5 for i in range(r)) for r in range(7)] for w in range(7)]


def working_days(start: date, end: date) -> int:
    """Number of Mondays to Fridays from ``start`` to ``end``, both included (0 if end < start)."""
    if end < start:
        return 0
    weeks, rest = divmod((end - start).days + 1, 7)
    return weeks * 5 + _WEEKDAYS_IN_REST[start.weekday()][rest]


def _calendar_days(start: date, end: date) -> int:
    return max(0, (end - start).days + 1)


def _merged(windows: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Sorted, non-overlapping windows (touching windows are joined)."""
    merged: list[tuple[date, date]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class _Availability:
    covered: int  # days of the project the student is available on
    total: int  # days of the project
    unit: str  # "working_day", or "day" for a project with no working day
    hours_share: float
    value: float


def _availability(
    student: StudentInput,
    project: ProjectInput,
    merged: list[tuple[date, date]] | None = None,
) -> _Availability:
    """``merged``: the student's windows already merged, when scoring many projects."""
    count = working_days
    unit = "working_day"
    total = working_days(project.starts_on, project.ends_on)
    if total == 0:
        count, unit = _calendar_days, "day"
        total = _calendar_days(project.starts_on, project.ends_on)
    if not student.windows:
        covered = total
    else:
        covered = sum(
            count(max(start, project.starts_on), min(end, project.ends_on))
            for start, end in (merged if merged is not None else _merged(student.windows))
        )
    day_share = covered / total if total else 1.0
    asked = project.hours_per_week
    hours_share = 1.0 if asked <= 0 else min(1.0, student.weekly_hours / asked)
    return _Availability(covered, total, unit, hours_share, day_share * hours_share)


def _credit(held: int | None, asked: int) -> float:
    if held is None:
        return 0.0
    if held >= asked:
        return 1.0
    if held == asked - 1:
        return PARTIAL_CREDIT
    return 0.0


@dataclass(frozen=True)
class _Skills:
    value: float
    asked: int
    met: int
    short: list[tuple[int, int, int | None]]  # (skill id, level asked, level held or None)


def _skills(held: Mapping[int, int], asked: Mapping[int, int]) -> _Skills:
    if not asked:
        return _Skills(1.0, 0, 0, [])
    total = 0.0
    met = 0
    short: list[tuple[int, int, int | None]] = []
    for skill, level in asked.items():
        have = held.get(skill)
        credit = _credit(have, level)
        total += credit
        if credit == 1.0:
            met += 1
        else:
            short.append((skill, level, have))
    return _Skills(total / len(asked), len(asked), met, short)


@dataclass(frozen=True)
class _Breakdown:
    student: StudentInput
    project: ProjectInput
    required: _Skills
    preferred: _Skills
    text: float
    learning: float
    availability: _Availability

    def components(self) -> dict[str, float]:
        raw = {
            "required": self.required.value,
            "preferred": self.preferred.value,
            "text": self.text,
            "availability": self.availability.value,
            "learning": self.learning,
        }
        return {k: min(1.0, max(0.0, float(v))) for k, v in raw.items()}


def _combine(components: Mapping[str, float], weights: Weights) -> float:
    total = sum(getattr(weights, name) * components[name] for name in COMPONENTS)
    return min(1.0, max(0.0, total / weights.total))


def _breakdown(
    student: StudentInput,
    project: ProjectInput,
    text: float,
    learning: float,
    availability: _Availability | None = None,
) -> _Breakdown:
    return _Breakdown(
        student=student,
        project=project,
        required=_skills(student.skills, project.required),
        preferred=_skills(student.skills, project.preferred),
        text=text,
        learning=learning,
        availability=availability or _availability(student, project),
    )


# --------------------------------------------------------------------------------------------
# Reasons
# --------------------------------------------------------------------------------------------


def _skill_reasons(part: _Skills, kind: str, skill_names: Mapping[int, str] | None) -> list[Reason]:
    if part.asked == 0:
        return [Reason(ReasonCode.SKILLS_NOT_LISTED, kind)]
    if part.met == part.asked:
        reasons = [Reason(ReasonCode.SKILLS_ALL_MET, kind, {"count": part.asked})]
    else:
        reasons = [Reason(ReasonCode.SKILLS_SOME_MET, kind, {"met": part.met, "count": part.asked})]
    names = skill_names or {}
    # By name as people read it; a skill without a name sorts as "skill #<id>", as it is shown.
    short = sorted(part.short, key=lambda s: (names.get(s[0], f"skill #{s[0]}").lower(), s[0]))
    for skill, asked, held in short:
        params = {"skill_id": skill, "skill": names.get(skill), "min_level": asked}
        if held is None:
            reasons.append(Reason(ReasonCode.SKILL_MISSING, kind, params))
        else:
            params["level"] = held
            code = (
                ReasonCode.SKILL_ONE_LEVEL_SHORT
                if held == asked - 1
                else ReasonCode.SKILL_BELOW_LEVEL
            )
            reasons.append(Reason(code, kind, params))
    return reasons


def _availability_reasons(part: _Availability, student: StudentInput, asked: int) -> list[Reason]:
    days = {"days": part.total, "unit": part.unit}
    if not student.windows:
        dates = Reason(ReasonCode.DATES_NOT_LIMITED, "availability", days)
    elif part.covered >= part.total:
        dates = Reason(ReasonCode.DATES_ALL_AVAILABLE, "availability", days)
    else:
        dates = Reason(
            ReasonCode.DATES_PARTLY_AVAILABLE,
            "availability",
            {"available_days": part.covered, **days},
        )
    if asked <= 0:
        hours = Reason(ReasonCode.HOURS_NOT_SET, "availability")
    else:
        code = (
            ReasonCode.HOURS_ALL_MET
            if student.weekly_hours >= asked
            else ReasonCode.HOURS_PARTLY_MET
        )
        hours = Reason(
            code, "availability", {"weekly_hours": student.weekly_hours, "hours_asked": asked}
        )
    return [dates, hours]


def _text_reasons(b: _Breakdown, index: TextIndex) -> list[Reason]:
    shared = index.shared_terms(b.student.text, b.project.text) if b.text > 0 else []
    reasons = [
        Reason(ReasonCode.INTERESTS_SHARED, "text", {"terms": tuple(shared)})
        if shared
        else Reason(ReasonCode.INTERESTS_NOT_SHARED, "text")
    ]
    if not b.student.learning_goals:
        reasons.append(Reason(ReasonCode.GOALS_NOT_LISTED, "learning"))
    elif not b.project.learning_outcomes:
        reasons.append(Reason(ReasonCode.OUTCOMES_NOT_LISTED, "learning"))
    else:
        shared = (
            index.shared_terms(b.student.goals_text, b.project.outcomes_text)
            if b.learning > 0
            else []
        )
        reasons.append(
            Reason(ReasonCode.GOALS_SHARED, "learning", {"terms": tuple(shared)})
            if shared
            else Reason(ReasonCode.GOALS_NOT_SHARED, "learning")
        )
    return reasons


def _fit_score(
    b: _Breakdown, weights: Weights, index: TextIndex, skill_names: Mapping[int, str] | None
) -> FitScore:
    components = b.components()
    reasons = [
        *_skill_reasons(b.required, "required", skill_names),
        *_skill_reasons(b.preferred, "preferred", skill_names),
        *_availability_reasons(b.availability, b.student, b.project.hours_per_week),
        *_text_reasons(b, index),
    ]
    return FitScore(
        student_id=b.student.id,
        project_id=b.project.id,
        score=_combine(components, weights),
        components=components,
        weights=weights,
        reasons=reasons,
    )


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def score_fit(
    student: StudentInput,
    project: ProjectInput,
    index: TextIndex | None = None,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    skill_names: Mapping[int, str] | None = None,
) -> FitScore:
    """The fit of one student with one project, with its reasons.

    ``index`` should be built once over all the texts in play (:meth:`TextIndex.from_inputs`);
    without one, an index over just these two is used. Hard constraints are not applied here.
    """
    if index is None:
        index = TextIndex.from_inputs([student], [project])
    return _score_pair(student, project, index, weights, skill_names)


def _score_pair(
    student: StudentInput,
    project: ProjectInput,
    index: TextIndex,
    weights: Weights,
    skill_names: Mapping[int, str] | None,
) -> FitScore:
    """:func:`score_fit` with its index; also makes the FitScores that rankings return."""
    b = _breakdown(
        student,
        project,
        index.similarity(student.text, project.text),
        index.similarity(student.goals_text, project.outcomes_text)
        if student.learning_goals and project.learning_outcomes
        else 0.0,
    )
    return _fit_score(b, weights, index, skill_names)


def hard_constraint_failures(
    student: StudentInput,
    project: ProjectInput,
    *,
    min_hours_fraction: float = MIN_HOURS_FRACTION,
    min_working_days: int = MIN_WORKING_DAYS,
) -> list[str]:
    """Why the pair is filtered out (``unavailable``, ``too_few_days``, ``too_few_hours``, in
    that order); empty when it passes."""
    return _failures(
        _availability(student, project), student, project, min_hours_fraction, min_working_days
    )


def _failures(
    part: _Availability,
    student: StudentInput,
    project: ProjectInput,
    min_hours_fraction: float = MIN_HOURS_FRACTION,
    min_working_days: int = MIN_WORKING_DAYS,
) -> list[Reason]:
    failures = []
    if part.covered < min(min_working_days, part.total):
        failures.append(
            Reason(
                ReasonCode.UNAVAILABLE,
                "availability",
                {"unit": part.unit, "starts_on": project.starts_on, "ends_on": project.ends_on},
            )
            if part.covered == 0
            else Reason(
                ReasonCode.TOO_FEW_DAYS,
                "availability",
                {"available_days": part.covered, "days": part.total, "unit": part.unit},
            )
        )
    asked = project.hours_per_week
    if asked > 0 and student.weekly_hours < min_hours_fraction * asked:
        failures.append(
            Reason(
                ReasonCode.TOO_FEW_HOURS,
                "availability",
                {"weekly_hours": student.weekly_hours, "hours_asked": asked},
            )
        )
    return failures


def passes_hard_constraints(
    student: StudentInput,
    project: ProjectInput,
    *,
    min_hours_fraction: float = MIN_HOURS_FRACTION,
    min_working_days: int = MIN_WORKING_DAYS,
) -> bool:
    """Whether the student is available on at least ``min_working_days`` working days of the
    project and offers at least ``min_hours_fraction`` of the weekly hours asked."""
    return not hard_constraint_failures(
        student,
        project,
        min_hours_fraction=min_hours_fraction,
        min_working_days=min_working_days,
    )
