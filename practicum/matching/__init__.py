"""Pure matching engine for Practicum rounds and recommendations.

This package never imports Django: the Django side turns database rows into the plain inputs used
here (dicts of preference lists, :class:`StudentInput`, :class:`ProjectInput`) and turns the
results back into rows, and their reasons (codes with parameters) into sentences.

* :mod:`practicum.matching.stable` -- student-proposing deferred acceptance with capacities,
  a stability check and reasons why a student stayed unmatched.
* :mod:`practicum.matching.scoring` -- explainable student/project fit scores and hard
  constraints, one pair at a time.
* :mod:`practicum.matching.ranking` -- top-k recommendations in both directions, vectorised over
  prebuilt :class:`ProjectIndex` / :class:`StudentIndex` arrays.
* :mod:`practicum.matching.reasons` -- the codes that explain results: :class:`Reason` for fit
  scores and hard constraints, :class:`UnmatchedReason` for stable matching.
"""

from practicum.matching.ranking import (
    ProjectIndex,
    Scores,
    StudentIndex,
    recommend,
    suggest_candidates,
)
from practicum.matching.reasons import Reason, ReasonCode, UnmatchedReason
from practicum.matching.scoring import (
    FitScore,
    ProjectInput,
    StudentInput,
    TextIndex,
    Weights,
    passes_hard_constraints,
    score_fit,
)
from practicum.matching.stable import (
    UNRANKED,
    blocking_pairs,
    deferred_acceptance,
    deferred_acceptance_arrays,
    deferred_acceptance_compact,
    is_stable,
    unmatched_reasons,
)

__all__ = [
    "UNRANKED",
    "FitScore",
    "ProjectIndex",
    "ProjectInput",
    "Reason",
    "ReasonCode",
    "Scores",
    "StudentIndex",
    "StudentInput",
    "TextIndex",
    "UnmatchedReason",
    "Weights",
    "blocking_pairs",
    "deferred_acceptance",
    "deferred_acceptance_arrays",
    "deferred_acceptance_compact",
    "is_stable",
    "passes_hard_constraints",
    "recommend",
    "score_fit",
    "suggest_candidates",
    "unmatched_reasons",
]
