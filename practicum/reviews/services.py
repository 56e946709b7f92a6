"""Writes for feedback: submitting or editing a review, and revealing a round.

A round is revealed in the transaction that brings its second review, or by the periodic job
once its window has closed (reminders.py calls `reveal_closed_rounds`). Revealing stamps the
reviews, records `reviews_revealed`, and turns the endorsements of a final organization review
into verified skills on the student's profile. Every step is idempotent, so a reveal racing
the periodic job (the engagement row is locked by both) happens once.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from practicum.core.cleaning import Cleaner, as_int
from practicum.core.errors import Conflict
from practicum.core.idempotency import idempotent
from practicum.engagements.events import record
from practicum.engagements.models import Engagement, EngagementEvent, Side
from practicum.engagements.notices import engagement_organization_side
from practicum.notifications.services import notify
from practicum.profiles.models import StudentSkill
from practicum.reviews import rubric, selectors, signals
from practicum.reviews.models import Endorsement, Review, VerifiedSkill
from practicum.reviews.selectors import State
from practicum.skills.models import Skill
from practicum.workspace import access

Kind = EngagementEvent.Kind
LEVELS = StudentSkill.Level


def _iso_utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def _locked(engagement: Engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project__organization", "student", "mentor")
        .get(pk=engagement.pk)
    )


class _ReviewCleaner(Cleaner):
    """Every field of a review for the writing side and round, all messages at once. Score
    errors are keyed by criterion and endorsement errors by "endorsements", as the form's
    fields are."""

    def __init__(self, values: dict, side: str, round: str):
        super().__init__(values)
        self.side, self.round = side, round

    def clean(self) -> dict:
        data = {
            "scores": self._scores(),
            "strengths": self.text("strengths", rubric.TEXT_MAX, multiline=True),
            "to_improve": self.text("to_improve", rubric.TEXT_MAX, multiline=True),
            "private_note": self.text("private_note", rubric.NOTE_MAX, multiline=True),
            "recommend": self._recommend(),
            "endorsements": self._endorsements(),
        }
        if self.errors:
            raise ValidationError(self.errors)
        return data

    def _scores(self) -> dict[str, int]:
        given = self.values["scores"]
        if not isinstance(given, dict):
            self.error("scores", "Give a score for each question.")
            return {}
        criteria = rubric.criteria_for(self.side)
        for key in sorted(set(given) - {c.key for c in criteria}):
            self.error("scores", "“%(key)s” is not a question of this review.", key=key)
        scores = {}
        for criterion in criteria:
            score = as_int(given.get(criterion.key))
            if given.get(criterion.key) in (None, ""):
                self.error(criterion.key, "Choose a score.", code="required")
            elif score is None or not rubric.SCORE_MIN <= score <= rubric.SCORE_MAX:
                self.error(
                    criterion.key,
                    "Choose a score from %(min)s to %(max)s.",
                    min=rubric.SCORE_MIN,
                    max=rubric.SCORE_MAX,
                )
            else:
                scores[criterion.key] = score
        return scores

    def _recommend(self) -> bool | None:
        value = self.values["recommend"]
        if not rubric.asks_recommend(self.side, self.round):
            if value is not None:
                self.error("recommend", "This round does not ask this question.")
            return None
        if not isinstance(value, bool):
            self.error("recommend", "Answer yes or no.", code="required")
            return None
        return value

    def _endorsements(self) -> dict[int, int]:
        """{skill id: level}."""
        given = self.values["endorsements"] or []
        if not rubric.asks_endorsements(self.side, self.round):
            if given:
                self.error(
                    "endorsements",
                    "Skills are endorsed by the organization in the final round only.",
                )
            return {}
        if not isinstance(given, list | tuple):
            self.error("endorsements", "Give a list of skills with levels.")
            return {}
        self.at_most("endorsements", len(given), rubric.ENDORSEMENTS_MAX, "skills")
        chosen: dict[int, int] = {}
        for item in given:
            skill = as_int(item.get("skill")) if isinstance(item, dict) else None
            level = as_int(item.get("level")) if isinstance(item, dict) else None
            if skill is None:
                self.error("endorsements", "Each endorsement names a skill by its id.")
            elif level not in LEVELS.values:
                self.error(
                    "endorsements",
                    "Choose a level from 1 (Beginner) to 4 (Expert) for each skill.",
                )
            elif skill in chosen:
                self.error("endorsements", "Endorse each skill once.")
            else:
                chosen[skill] = level
        known = set(Skill.objects.filter(pk__in=chosen).values_list("pk", flat=True))
        if set(chosen) - known:
            self.error("endorsements", "Choose skills from the taxonomy.")
        return chosen


def require_open(window: selectors.RoundWindow | None, state: str | None) -> None:
    """Conflict unless the round exists and is open: "round_not_open" (no such round yet, or
    before it opens), "revealed" (both submitted, or closed with a review) or "round_closed"
    (closed with no review)."""
    if window is None:
        raise Conflict("round_not_open", "This engagement has no such feedback round (yet).")
    if state == State.UPCOMING:
        raise Conflict(
            "round_not_open",
            f"The {window.label.lower()} feedback opens on "
            f"{date_format(timezone.localtime(window.opens_at), 'j M Y, H:i T')}.",
        )
    if state == State.CLOSED:
        raise Conflict("round_closed", "This feedback round has closed.")
    if state == State.REVEALED:
        raise Conflict(
            "revealed", "The reviews of this round are revealed; they can no longer change."
        )


@idempotent("reviews.submit_review")
def submit_review(
    engagement: Engagement,
    round: str,
    *,
    by,
    scores: dict,
    strengths: str = "",
    to_improve: str = "",
    recommend: bool | None = None,
    endorsements: list | None = None,
    private_note: str = "",
    now: datetime.datetime | None = None,
) -> Review:
    """Write or edit the user's side's review of a round (the student for themselves, the
    mentor or an owner for the organization: one review per side, which either may edit).

    Only while the round is open: before it opens → Conflict "round_not_open"; once revealed
    (both submitted, or the window closed with a review in it) → Conflict "revealed"; a window
    that closed empty → Conflict "round_closed". Anyone who is no party → Refused "not_a_party".
    Each score is 1–5 (ValidationError per criterion). The first submission records
    `review_submitted`; edits record nothing. The second side's submission reveals the round.
    """
    now = now or timezone.now()
    with transaction.atomic():
        engagement = _locked(engagement)
        side = access.require_party(by, engagement)
        window = selectors.window_of(engagement, round)
        reviews = {
            r.side: r
            for r in Review.objects.select_for_update().filter(engagement=engagement, round=round)
        }
        require_open(window, selectors.state_of(window, reviews, now) if window else None)
        data = _ReviewCleaner(
            {
                "scores": scores,
                "strengths": strengths,
                "to_improve": to_improve,
                "private_note": private_note,
                "recommend": recommend,
                "endorsements": endorsements,
            },
            side,
            round,
        ).clean()
        chosen = data.pop("endorsements")
        review = reviews.get(side)
        created = review is None
        if created:
            review = Review(engagement=engagement, round=round, side=side, author=by)
            review.submitted_at = now
        for field, value in data.items():
            setattr(review, field, value)
        review.updated_at = now
        review.save()
        review.endorsements.all().delete()
        Endorsement.objects.bulk_create(
            Endorsement(review=review, skill_id=skill, level=level)
            for skill, level in chosen.items()
        )
        if created:
            record(
                engagement,
                Kind.REVIEW_SUBMITTED,
                by,
                at=now,
                round=round,
                review=review.pk,
                due_at=_iso_utc(window.due_at),
            )
            reviews[side] = review
            if len(reviews) == 2:
                _reveal(engagement, round, list(reviews.values()), "both_submitted", now)
                _announce_reveal(engagement, round)
    return review


def _reveal(engagement, round: str, reviews: list[Review], reason: str, now) -> None:
    for review in reviews:
        review.revealed_at = now
    Review.objects.filter(pk__in=[r.pk for r in reviews]).update(revealed_at=now)
    record(engagement, Kind.REVIEWS_REVEALED, None, at=now, round=round, reason=reason)
    _verify_endorsements(engagement, reviews, now)
    signals.round_revealed.send(sender=Review, engagement=engagement, round=round, at=now)


def _verify_endorsements(engagement, reviews: list[Review], now) -> None:
    """The endorsements of a revealed final organization review become verified skills."""
    for review in reviews:
        if not rubric.asks_endorsements(review.side, review.round):
            continue
        VerifiedSkill.objects.bulk_create(
            [
                VerifiedSkill(
                    student_id=engagement.student_id,
                    skill_id=endorsement.skill_id,
                    level=endorsement.level,
                    organization_id=engagement.project.organization_id,
                    engagement=engagement,
                    endorsement=endorsement,
                    verified_at=now,
                )
                for endorsement in Endorsement.objects.filter(review=review)
            ],
            ignore_conflicts=True,
        )


def feedback_url(engagement) -> str:
    return reverse("reviews:engagement", args=[engagement.pk])


def people_of(engagement: Engagement) -> dict[str, list]:
    """Who hears about a round, by side: the student; the mentor and the owners."""
    return {
        Side.STUDENT: [engagement.student],
        Side.ORGANIZATION: engagement_organization_side(engagement),
    }


def _announce_reveal(engagement: Engagement, round: str) -> None:
    for people in people_of(engagement).values():
        for person in people:
            notify(
                person,
                "reviews_revealed",
                engagement,
                {"round": round},
                round,
                url=feedback_url(engagement),
                title=engagement.project.title,
            )


def reveal_closed_rounds(*, now: datetime.datetime | None = None) -> int:
    """Reveal every round whose window has closed with reviews not yet revealed (reason
    "window_closed"); the number of rounds revealed. One transaction per round."""
    now = now or timezone.now()
    pending = set(
        Review.objects.filter(
            revealed_at__isnull=True, engagement__state__in=selectors.FEEDBACK_STATES
        ).values_list("engagement_id", "round")
    )
    engagements = Engagement.objects.filter(
        pk__in={engagement_id for engagement_id, _ in pending}
    ).select_related("project")
    # Windows for all at once, so rounds still open cost nothing; each closed one is checked
    # again under its lock before it is revealed.
    windows = selectors.windows_of_many(engagements)
    closed = sorted(
        (engagement_id, window.round)
        for engagement_id, rounds in windows.items()
        for window in rounds
        if (engagement_id, window.round) in pending and now >= window.due_at
    )
    return sum(_reveal_if_closed(engagement_id, round, now) for engagement_id, round in closed)


@transaction.atomic
def _reveal_if_closed(engagement_id: int, round: str, now: datetime.datetime) -> bool:
    engagement = _locked(Engagement(pk=engagement_id))
    window = selectors.window_of(engagement, round)
    reviews = list(
        Review.objects.select_for_update().filter(
            engagement=engagement, round=round, revealed_at__isnull=True
        )
    )
    if window is None or not reviews or now < window.due_at:
        return False
    _reveal(engagement, round, reviews, "window_closed", now)
    return True
