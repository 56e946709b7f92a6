"""What a person's export holds: everything they wrote or received, one JSON file a subject.

Only what the person could see in the app: their own reviews (private note included) and the
other side's once revealed (never the other side's private note); messages and updates of the
engagements they are a party to. Lists are read in chunks so a long history stays in bounds.
"""

from django.db.models import Prefetch, Q

from practicum.accounts.models import Membership, User
from practicum.alerts.models import SavedSearch
from practicum.careers.models import AccessLogEntry, Consent, Enrollment
from practicum.credentials.models import Credential
from practicum.engagements.models import Application, Engagement, Signature
from practicum.interviews.models import Interview, InterviewEvent
from practicum.notifications.models import Notification
from practicum.profiles.models import StudentProfile
from practicum.reviews.models import Review
from practicum.workspace.messaging.models import Message
from practicum.workspace.progress.models import ProgressComment, ProgressUpdate

CHUNK = 500


def _when(value):
    return value.isoformat() if value is not None else None


def _account(user: User) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "account_type": user.account_type,
        "timezone": user.timezone,
        "joined": _when(user.date_joined),
        "organizations": [
            {"organization": m.organization.name, "role": m.role, "since": _when(m.created_at)}
            for m in Membership.objects.filter(user=user).select_related("organization")
        ],
    }


def _profile(user: User) -> dict | None:
    profile = (
        StudentProfile.objects.filter(user=user)
        .select_related("institution")
        .prefetch_related("skills__skill", "availability")
        .first()
    )
    if profile is None:
        return None
    return {
        "headline": profile.headline,
        "about": profile.about,
        "institution": profile.institution.name
        if profile.institution
        else profile.institution_name,
        "programme": profile.programme,
        "graduation_year": profile.graduation_year,
        "weekly_hours": profile.weekly_hours,
        "interests": profile.interests,
        "learning_goals": profile.learning_goals,
        "portfolio_links": profile.portfolio_links,
        "open_to_future_roles": profile.open_to_future_roles,
        "discoverable": profile.discoverable,
        "skills": [{"skill": s.skill.name, "level": s.level} for s in profile.skills.all()],
        "availability": [
            {"from": _when(w.starts_on), "to": _when(w.ends_on)} for w in profile.availability.all()
        ],
    }


def _applications(user: User) -> list[dict]:
    return [
        {
            "project": a.project.title,
            "organization": a.project.organization.name,
            "status": a.status,
            "pitch": a.pitch,
            "answers": a.answers,
            "sent": _when(a.created_at),
            "offer_message": a.offer_message,
            "rejection_message": a.rejection_message,
        }
        for a in Application.objects.filter(student=user)
        .select_related("project__organization")
        .order_by("created_at", "pk")
        .iterator(chunk_size=CHUNK)
    ]


def _interviews(user: User) -> list[dict]:
    """The interviews of the person's applications, with the times offered and the history
    (the reasons either side gave included: both sides saw them)."""
    return [
        {
            "project": i.application.project.title,
            "organization": i.application.project.organization.name,
            "status": i.status,
            "no_show_by": i.no_show_by,
            "times_offered": [
                {
                    "starts_at": _when(slot.starts_at),
                    "minutes": slot.duration_minutes,
                    "place": slot.place,
                    "video_url": slot.video_url,
                    "picked": slot.pk == i.slot_id,
                }
                for slot in i.slots.all()
            ],
            "history": [
                {
                    "what": e.kind,
                    "side": e.side,
                    "at": _when(e.at),
                    "reason": e.details.get("reason", ""),
                }
                for e in i.events.all()
            ],
        }
        for i in Interview.objects.filter(application__student=user)
        .select_related("application__project__organization")
        .prefetch_related("slots", Prefetch("events", InterviewEvent.objects.order_by("at", "pk")))
        .order_by("created_at", "pk")
    ]


def party_engagements(user: User):
    """The engagements the person took part in: as the student, the mentor, or an owner of the
    organization who wrote in its thread."""
    wrote_in = Message.objects.filter(author=user).values("engagement")
    return Engagement.objects.filter(Q(student=user) | Q(mentor=user) | Q(pk__in=wrote_in))


def _engagements(user: User) -> list[dict]:
    return [
        {
            "id": e.pk,
            "project": e.project.title,
            "organization": e.project.organization.name,
            "student": e.student.name,
            "mentor": e.mentor.name if e.mentor else None,
            "state": e.state,
            "since": _when(e.created_at),
        }
        for e in party_engagements(user)
        .select_related("project__organization", "student", "mentor")
        .order_by("pk")
    ]


def _agreements_signed(user: User) -> list[dict]:
    return [
        {
            "engagement": s.version.engagement_id,
            "version": s.version.number,
            "terms": s.version.terms,
            "signed_as": s.full_name,
            "side": s.side,
            "signed_at": _when(s.signed_at),
        }
        for s in Signature.objects.filter(user=user).select_related("version").order_by("pk")
    ]


def _messages(user: User) -> list[dict]:
    return [
        {
            "engagement": m.engagement_id,
            "from": m.author.name,
            "side": m.side,
            "body": m.body,
            "question": m.is_question,
            "at": _when(m.created_at),
            "quotes_message": m.quote_id,
            "edited_at": _when(m.edited_at),
            "earlier_versions": [
                {"body": r.body, "written_at": _when(r.written_at)} for r in m.revisions.all()
            ],
            # The files themselves stay in Practicum: their names say what was sent.
            "files": [a.name for a in m.attachments.all()],
        }
        for m in Message.objects.filter(engagement__in=party_engagements(user).values("pk"))
        .select_related("author")
        .prefetch_related("revisions", "attachments")
        .order_by("engagement_id", "pk")
        .iterator(chunk_size=CHUNK)
    ]


def _progress(user: User) -> list[dict]:
    updates = ProgressUpdate.objects.filter(engagement__in=party_engagements(user).values("pk"))
    comments = ProgressComment.objects.filter(update__in=updates.values("pk"))
    return [
        {
            "engagement": u.engagement_id,
            "by": u.author.name,
            "done": u.done,
            "blockers": u.blockers,
            "next_steps": u.next_steps,
            "hours": str(u.hours) if u.hours is not None else None,
            "at": _when(u.created_at),
        }
        for u in updates.select_related("author").order_by("pk").iterator(chunk_size=CHUNK)
    ] + [
        {"update": c.update_id, "by": c.author.name, "comment": c.body, "at": _when(c.created_at)}
        for c in comments.select_related("author").order_by("pk").iterator(chunk_size=CHUNK)
    ]


def _reviews(user: User) -> dict:
    engagements = party_engagements(user).values("pk")
    written = Review.objects.filter(author=user).order_by("pk")
    received = (
        Review.objects.filter(engagement__in=engagements, revealed_at__isnull=False)
        .exclude(author=user)
        .order_by("pk")
    )

    def row(review: Review, *, own: bool) -> dict:
        data = {
            "engagement": review.engagement_id,
            "round": review.round,
            "written_by": review.side,
            "scores": review.scores,
            "strengths": review.strengths,
            "to_improve": review.to_improve,
            "recommend": review.recommend,
            "submitted_at": _when(review.submitted_at),
            "revealed_at": _when(review.revealed_at),
        }
        if own:
            data["private_note_to_practicum"] = review.private_note
        return data

    return {
        "written": [row(r, own=True) for r in written],
        "received": [row(r, own=False) for r in received],
    }


def _credentials(user: User) -> list[dict]:
    return [
        {
            "id": str(c.pk),
            "issued_at": _when(c.issued_at),
            "revoked_at": _when(c.revoked_at),
            "credential": c.document,
            "vc_jwt": c.jwt,
        }
        for c in Credential.objects.filter(student=user).order_by("issued_at")
    ]


def _notifications(user: User) -> list[dict]:
    return [
        {"kind": n.kind, "title": n.title, "message": n.message, "at": _when(n.created_at)}
        for n in Notification.objects.filter(recipient=user)
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    ]


def _saved_searches(user: User) -> list[dict]:
    return [
        {
            "name": s.name,
            "query": s.query,
            "frequency": s.frequency,
            "saved_at": _when(s.created_at),
        }
        for s in SavedSearch.objects.filter(student=user).order_by("pk")
    ]


def _career_center(user: User) -> dict:
    """Where the student asked to be verified, what they consented to share, and every look
    career-center staff took at their record."""
    return {
        "enrollments": [
            {
                "institution": e.institution.name,
                "state": e.state,
                "method": e.method,
                "email": e.email,
                "requested_at": _when(e.requested_at),
                "verified_at": _when(e.verified_at),
            }
            for e in Enrollment.objects.filter(student=user).select_related("institution")
        ],
        "consents": [
            {
                "institution": c.institution.name,
                "given_at": _when(c.given_at),
                "withdrawn_at": _when(c.withdrawn_at),
            }
            for c in Consent.objects.filter(student=user).select_related("institution")
        ],
        "record_opened_by": [
            {
                "staff": a.staff_name,
                "institution": a.institution.name,
                "what": a.what,
                "at": _when(a.at),
            }
            for a in AccessLogEntry.objects.filter(student=user)
            .select_related("institution")
            .iterator(chunk_size=CHUNK)
        ],
    }


def files_for(user: User) -> dict[str, object]:
    """File name → the JSON-ready content of that file."""
    files = {
        "account.json": _account(user),
        "applications.json": _applications(user),
        "interviews.json": _interviews(user),
        "engagements.json": _engagements(user),
        "agreements_signed.json": _agreements_signed(user),
        "messages.json": _messages(user),
        "progress_updates.json": _progress(user),
        "reviews.json": _reviews(user),
        "credentials.json": _credentials(user),
        "notifications.json": _notifications(user),
        "saved_searches.json": _saved_searches(user),
        "career_center.json": _career_center(user),
    }
    profile = _profile(user)
    if profile is not None:
        files["profile.json"] = profile
    return files


def stored_files_for(user: User) -> dict[str, object]:
    """Archive name → the stored file (a FieldFile) of what the person uploaded themselves:
    their profile photo (as we keep it, redrawn) and their CV."""
    profile = StudentProfile.objects.filter(user=user).first()
    if profile is None:
        return {}
    stored = {}
    if profile.photo:
        stored["profile/photo.webp"] = profile.photo
    if profile.cv:
        stored["profile/" + profile.cv_name] = profile.cv
    return stored
