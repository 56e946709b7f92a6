"""What applications tell the people on each side, through notifications.notify().

Called inside the services' transactions, so a change that rolls back announces nothing.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from practicum.accounts.models import Membership
from practicum.engagements.models import Application, Engagement
from practicum.notifications.services import notify

# The owners of the project's organization, for a queryset of applications or of engagements.
OWNERS = Prefetch(
    "project__organization__memberships",
    queryset=Membership.objects.filter(role=Membership.Role.OWNER).select_related("user"),
    to_attr="owners",
)


def organization_side(project) -> list:
    """The project's mentor and the organization's owners, each once, in a stable order."""
    owners = getattr(project.organization, "owners", None)  # prefetched with OWNERS
    if owners is None:
        owners = project.organization.memberships.filter(role=Membership.Role.OWNER).select_related(
            "user"
        )
    people = {membership.user for membership in owners}
    if project.mentor is not None:
        people.add(project.mentor)
    return sorted(people, key=lambda person: person.pk)


def _tell(people, kind: str, application: Application, occurrence: str, context: dict) -> None:
    url = reverse("engagements:application", args=[application.pk])
    for person in people:
        notify(
            person,
            kind,
            application,
            context,
            occurrence,
            url=url,
            title=application.project.title,
        )


def application_received(application: Application) -> None:
    _tell(
        organization_side(application.project),
        "application_received",
        application,
        "",
        {"student": application.student.name},
    )


def offer_made(application: Application) -> None:
    _tell(
        [application.student],
        "offer_made",
        application,
        application.offered_at.isoformat(),
        {"organization": application.project.organization.name,
         "expires_at": application.offer_expires_at},
    )  # fmt: skip


# Why Practicum took an offer back (Application.withdrawn_reason), in the student's words.
WITHDRAWN_BECAUSE = {
    "project_full": "all places are filled",
    "project_closed": "the organization closed the project",
    "project_archived": "the organization archived the project",
}


def offer_withdrawn(application: Application) -> None:
    _tell(
        [application.student],
        "offer_withdrawn",
        application,
        application.offered_at.isoformat(),
        {
            "organization": application.project.organization.name,
            "because": WITHDRAWN_BECAUSE[application.withdrawn_reason],
        },
    )


def shortlisted(application: Application) -> None:
    _tell(
        [application.student],
        "application_shortlisted",
        application,
        "",
        {"organization": application.project.organization.name},
    )


def rejected(application: Application) -> None:
    _tell(
        [application.student],
        "application_rejected",
        application,
        "",
        {"organization": application.project.organization.name},
    )


# Why Practicum declined an application nobody had decided on (Application.declined_reason).
DECLINED_BECAUSE = {
    "project_full": "all its places are filled",
    "project_closed": "the organization closed it",
    "project_archived": "the organization archived it",
}


def declined_at_close(application: Application) -> None:
    _tell(
        [application.student],
        "application_declined",
        application,
        "",
        {"because": DECLINED_BECAUSE[application.declined_reason]},
    )


def applicant_message(application: Application, text: str, *, sent_at) -> None:
    """The organization's note to an applicant: applications have no thread of their own, so
    it reaches the student as a notification (and its email), one per sending."""
    _tell(
        [application.student],
        "applicant_message",
        application,
        sent_at.isoformat(),
        {"organization": application.project.organization.name, "text": text},
    )


def offer_answered(application: Application, kind: str) -> None:
    """kind is offer_accepted or offer_declined."""
    _tell(
        organization_side(application.project),
        kind,
        application,
        application.offered_at.isoformat(),
        {"student": application.student.name},
    )


# Why an engagement's mentor changed, in words (the event's `reason`).
MENTOR_CHANGED_BECAUSE = {
    "reassigned": "an owner chose a new mentor",
    "member_removed": "the mentor left the organization; an owner will choose a new one",
}


def mentor_changed(people, engagement: Engagement, *, reason: str) -> None:
    mentor = engagement.mentor.name if engagement.mentor else "nobody yet"
    for person in people:
        notify(
            person,
            "mentor_changed",
            engagement,
            {"mentor": mentor, "because": MENTOR_CHANGED_BECAUSE[reason]},
            f"{engagement.mentor_id or 0}:{timezone.now().isoformat()}",
            url=reverse("engagements:detail", args=[engagement.pk]),
            title=engagement.project.title,
        )


def engagement_organization_side(engagement: Engagement) -> list:
    """Who speaks for the organization in an engagement: its mentor and the organization's
    owners, each once, in a stable order. Engagements loaded with OWNERS (the
    periodic job's finders list many) cost no query here."""
    project = engagement.project
    organization_loaded = type(project).organization.is_cached(project)
    owners = getattr(project.organization, "owners", None) if organization_loaded else None
    if owners is None:
        owners = Membership.objects.filter(
            organization_id=project.organization_id, role=Membership.Role.OWNER
        ).select_related("user")
    people = {membership.user for membership in owners}
    if engagement.mentor is not None:
        people.add(engagement.mentor)
    return sorted(people, key=lambda person: person.pk)


def tell_about_engagement(people, kind: str, engagement: Engagement, occurrence: str) -> None:
    url = reverse("engagements:detail", args=[engagement.pk])
    for person in people:
        notify(person, kind, engagement, {}, occurrence, url=url, title=engagement.project.title)
