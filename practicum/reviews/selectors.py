"""Reads for feedback: each round's window and state, the reviews a viewer may read, verified
skills and the ratings other parts (reciprocity, talent) compute with.

Double-blind: a review is readable by its own side at once and by everybody who may read the
engagement (the other side) only once the round is revealed: both sides
submitted, or the window closed (`due_at` passed). A private note is only ever readable by the
side that wrote it; for anyone else it is blanked here, before pages and the API see the row.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from practicum.engagements.events import side_of
from practicum.engagements.models import AgreementVersion, Engagement, Side
from practicum.profiles.models import StudentSkill
from practicum.projects.models import ProjectSkill
from practicum.reviews import rubric
from practicum.reviews.models import Endorsement, Review, VerifiedSkill
from practicum.reviews.windows import rounds_for
from practicum.skills.models import Skill

# Feedback belongs to work that happened: no rounds before both signed, none once cancelled.
FEEDBACK_STATES = (Engagement.State.ACTIVE, Engagement.State.COMPLETED)


class State:
    UPCOMING = "upcoming"
    OPEN = "open"
    REVEALED = "revealed"
    CLOSED = "closed"  # the window passed and neither side wrote anything
    LABELS = {
        UPCOMING: "Not open yet",
        OPEN: "Open",
        REVEALED: "Revealed",
        CLOSED: "Closed without feedback",
    }


@dataclass(frozen=True)
class RoundWindow:
    round: str
    opens_at: datetime.datetime
    due_at: datetime.datetime

    @property
    def label(self) -> str:
        return Review.Round(self.round).label


def windows_of(engagement: Engagement) -> list[RoundWindow]:
    """The engagement's rounds, mid-point first; none unless it is active or completed."""
    return windows_of_many([engagement]).get(engagement.pk, [])


def windows_of_many(engagements) -> dict[int, list[RoundWindow]]:
    """windows_of() for many engagements (loaded with their project) in two queries whatever
    their number: {engagement id: its rounds}, the same rounds windows_of() gives one by one."""
    engagements = [e for e in engagements if e.state in FEEDBACK_STATES]
    terms = dict(
        AgreementVersion.objects.filter(
            engagement__in=engagements, status=AgreementVersion.Status.CURRENT
        ).values_list("engagement_id", "terms")
    )
    # Imported here: the workspace's deliverables read the agreement too, and must not have to
    # load the reviews app to do so.
    from practicum.workspace.deliverables.selectors import all_accepted_at_of_many

    accepted = all_accepted_at_of_many(terms)
    windows = {}
    for engagement in engagements:
        if engagement.pk not in terms:
            windows[engagement.pk] = []
            continue
        done_at = accepted.get(engagement.pk)
        if engagement.state == Engagement.State.COMPLETED:
            # Completed (perhaps partially, before the end date): the work is over, so the
            # final round opens then rather than waiting for the end date.
            completed_at = engagement.state_changed_at
            done_at = min(done_at, completed_at) if done_at else completed_at
        rounds = rounds_for(terms[engagement.pk], done_at, engagement.project.timezone)
        windows[engagement.pk] = [RoundWindow(name, *window) for name, window in rounds.items()]
    return windows


def window_of(engagement: Engagement, round: str) -> RoundWindow | None:
    return next((w for w in windows_of(engagement) if w.round == round), None)


def state_of(window: RoundWindow, reviews: dict[str, Review], now: datetime.datetime) -> str:
    """The round's state given its reviews by side. A reveal is never undone: a round once
    revealed stays so even if an amendment later moves its dates, and a round someone already
    wrote in stays open if its opening moves later."""
    if any(review.revealed_at for review in reviews.values()):
        return State.REVEALED
    if now >= window.due_at:
        return State.REVEALED if reviews else State.CLOSED
    if now >= window.opens_at or reviews:
        return State.OPEN
    return State.UPCOMING


@dataclass
class RoundRow:
    """One round as one viewer sees it. `visible` holds only the reviews this viewer may read,
    by the side that wrote them."""

    window: RoundWindow
    state: str
    side: str  # the viewer's side
    visible: dict[str, Review]
    submitted: frozenset[str]  # the sides that have submitted, whether visible or not
    form: object = None  # the page's form, while the viewer may write

    @property
    def round(self) -> str:
        return self.window.round

    @property
    def label(self) -> str:
        return self.window.label

    @property
    def state_label(self) -> str:
        return State.LABELS[self.state]

    @property
    def other_side(self) -> str:
        return rubric.other_side(self.side) if self.side else ""

    @property
    def mine(self) -> Review | None:
        return self.visible.get(self.side) if self.side else None

    @property
    def other(self) -> Review | None:
        return self.visible.get(self.other_side) if self.side else None

    @property
    def by_student(self) -> Review | None:
        return self.visible.get(Side.STUDENT)

    @property
    def by_organization(self) -> Review | None:
        return self.visible.get(Side.ORGANIZATION)

    @property
    def my_submitted(self) -> bool:
        return bool(self.side) and self.side in self.submitted

    @property
    def other_submitted(self) -> bool:
        return bool(self.side) and self.other_side in self.submitted

    @property
    def can_write(self) -> bool:
        return bool(self.side) and self.state == State.OPEN

    @property
    def asks_recommend(self) -> bool:
        return bool(self.side) and rubric.asks_recommend(self.side, self.round)

    @property
    def asks_endorsements(self) -> bool:
        return bool(self.side) and rubric.asks_endorsements(self.side, self.round)


def _reviews() -> QuerySet[Review]:
    return Review.objects.select_related("author").prefetch_related(
        Prefetch("endorsements", Endorsement.objects.select_related("skill"))
    )


def review_rows_for(
    engagement: Engagement, user, *, now: datetime.datetime | None = None
) -> list[RoundRow]:
    """Every round of the engagement for a reader of it (a party; the
    caller checked that the user may read it): its window, state and the reviews the user may
    read. Seven queries whatever the number of reviews and endorsements."""
    windows = windows_of(engagement)
    if not windows:
        return []
    now = now or timezone.now()
    side = (
        side_of(user, engagement)
        if user.has_perm("engagements.act_on_engagement", engagement)
        else ""
    )
    by_round: dict[str, dict[str, Review]] = defaultdict(dict)
    for review in _reviews().filter(engagement=engagement):
        by_round[review.round][review.side] = review
    rows = []
    for window in windows:
        reviews = by_round.get(window.round, {})
        state = state_of(window, reviews, now)
        visible = {}
        for written_by, review in reviews.items():
            if written_by != side:
                if state != State.REVEALED:
                    continue
                review.private_note = ""  # never for anyone but its own side
            visible[written_by] = review
        rows.append(RoundRow(window, state, side, visible, frozenset(reviews)))
    return rows


def row_of(rows: list[RoundRow], round: str) -> RoundRow | None:
    return next((row for row in rows if row.round == round), None)


def endorsable_skills(engagement: Engagement, review: Review | None = None) -> list[Skill]:
    """The skills the final review's form offers to endorse, by name: those the project asks
    for, those the student lists on their profile, those recorded as practised, and any the
    review endorses already. Two queries."""
    from practicum.workspace.learning.selectors import practised_skills

    practised = [p.skill_id for p in practised_skills(engagement)]
    endorsed = [e.skill_id for e in review.endorsements.all()] if review is not None else []
    wanted = ProjectSkill.objects.filter(project_id=engagement.project_id).values("skill_id")
    held = StudentSkill.objects.filter(profile__user_id=engagement.student_id).values("skill_id")
    return list(
        Skill.objects.filter(
            Q(pk__in=wanted) | Q(pk__in=held) | Q(pk__in=[*practised, *endorsed])
        ).order_by("name")
    )


def verified_skills_of(student) -> list[VerifiedSkill]:
    """Contract: the student's verified skills (endorsements of revealed final reviews),
    strongest first, each with its skill, organization and engagement (and its project)
    loaded. One query."""
    return list(
        VerifiedSkill.objects.filter(student=student).select_related(
            "skill", "organization", "engagement__project"
        )
    )


def ratings_received_by_student(student) -> list[float]:
    """Contract: the mean score (1–5) of each revealed review the organizations wrote about
    the student, oldest reveal first. One query."""
    reviews = Review.objects.filter(
        engagement__student=student, side=Side.ORGANIZATION, revealed_at__isnull=False
    )
    return [r.mean_score for r in reviews.only("scores").order_by("revealed_at", "pk")]


def ratings_received_by_organization(organization) -> list[float]:
    """Contract: the mean score (1–5) of each revealed review students wrote about the
    organization, oldest reveal first. One query."""
    reviews = Review.objects.filter(
        engagement__project__organization=organization,
        side=Side.STUDENT,
        revealed_at__isnull=False,
    )
    return [r.mean_score for r in reviews.only("scores").order_by("revealed_at", "pk")]
