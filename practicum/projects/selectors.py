"""Reads for projects: querysets with their joins, so pages do a fixed number of queries."""

import datetime
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from practicum.accounts.models import Organization
from practicum.core.loading import visible_or_404
from practicum.core.timezones import today_in
from practicum.projects import money
from practicum.projects.models import Project, ProjectSkill
from practicum.projects.search import SEARCH_CONFIG, fold

PAGE_SIZE = 20
SEARCH_MAX_LENGTH = 200


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    DEADLINE = "deadline"
    PAY = "pay"
    FIT = "fit"

    CHOICES = [
        (RELEVANCE, "Best match (when searching)"),
        (NEWEST, "Newest"),
        (DEADLINE, "Deadline soonest"),
        (PAY, "Highest pay"),
    ]
    #: Offered to students only: the order comes from their profile (the recommendations app).
    FIT_CHOICE = (FIT, "Best fit for you")


_ORDER = {
    Sort.RELEVANCE: ("-rank", "-published_at", "-pk"),
    Sort.NEWEST: ("-published_at", "-pk"),
    Sort.DEADLINE: ("application_deadline", "-published_at", "-pk"),
    Sort.PAY: (F("pay_milli").desc(nulls_last=True), "-published_at", "-pk"),
    # The recommendations app orders the results by fit; equal fits keep this order.
    Sort.FIT: ("-published_at", "-pk"),
}


def closed_reason(project: Project, *, today: datetime.date | None = None) -> str:
    """Why the project takes no applications now, or "" when it does.

    A project past its deadline is closed even before anything has recorded it: the deadline
    alone decides, so no background job has to run on time for this to be right.
    """
    today = today or today_in(project.zone)
    if project.status == Project.Status.OPEN:
        if project.application_deadline and project.application_deadline < today:
            return Project.ClosedReason.DEADLINE.label
        return ""
    full = project.closed_reason == Project.ClosedReason.FULL
    if full and project.places_taken < project.capacity:
        # It filled, then an engagement was cancelled: a place is free, the project still
        # closed until the organization reopens it.
        return "Closed to new applications."
    if project.status == Project.Status.CLOSED and project.closed_reason:
        return project.get_closed_reason_display()
    return f"This project is {project.get_status_display().lower()}."


def projects_with_details() -> QuerySet[Project]:
    """Projects with everything the project page and the API show: three queries in all."""
    return Project.objects.select_related("organization", "mentor").prefetch_related(
        "deliverables",
        Prefetch("skills", ProjectSkill.objects.select_related("skill__category")),
    )


def project_for_page(pk: int) -> Project | None:
    """The project with its details."""
    return projects_with_details().filter(pk=pk).first()


def visible_project_page(user, pk: int) -> Project:
    """The project with its details, or a 404 for people who may not know it exists."""
    return visible_or_404(project_for_page(pk), user, "projects.view_project", what="project")


def has_offer(project: Project) -> bool:
    """Whether an offer was ever made on the project (the agreement terms then hold)."""
    return project.applications.filter(offered_at__isnull=False).exists()


def application_of(user, project: Project):
    """The user's application to the project, if any. (Applications live in the engagements
    app, above this one: the query follows the relation, it imports nothing.)"""
    if not user.is_authenticated:
        return None
    return project.applications.filter(student=user).first()


def places_left(project: Project) -> int:
    """Places still to fill; none once the project takes no applications, so a closed
    project never shows a place left beside its reason for closing."""
    if closed_reason(project):
        return 0
    return max(project.capacity - project.places_taken, 0)


def mentor_choices(organization: Organization) -> list[tuple[int, str]]:
    """(user id, "Name (role)") for every member, the people who may mentor its projects."""
    memberships = organization.memberships.select_related("user").order_by("user__name")
    return [
        (m.user_id, f"{m.user.name or m.user.email} ({m.get_role_display()})") for m in memberships
    ]


def open_projects_of(organization: Organization, *, today: datetime.date | None = None):
    """The organization's projects taking applications now, deadline soonest first."""
    return (
        _taking_applications(today)
        .filter(organization=organization)
        .order_by("application_deadline", "-published_at", "-pk")
    )


# Every applicant gets a first answer within this time; after it the application is overdue.
# The one statement of the rule: the organization's project list, the applicants page and the
# analytics all count with it.
ANSWER_WITHIN = datetime.timedelta(days=14)


# Projects a page of the organization's list shows at a time.
ORGANIZATION_PROJECTS_PAGE_SIZE = 25


def organization_projects(organization: Organization) -> QuerySet[Project]:
    """All the organization's projects, drafts and archived ones too, drafts first (the order
    of the statuses), newest first within a status. Counts come with `with_application_counts`
    for the page shown, so a big organization's list never groups all its applications."""
    return (
        Project.objects.filter(organization=organization)
        .select_related("mentor")
        .order_by(
            Case(
                *(
                    When(status=status, then=Value(position))
                    for position, status in enumerate(Project.Status.values)
                ),
                output_field=IntegerField(),
            ),
            "-created_at",
            "-pk",
        )
    )


def with_application_counts(projects) -> list[Project]:
    """The projects (a page of them) with `application_count` and `overdue_count` (applicants
    who have waited over 14 days for a first answer) set: one query."""
    projects = list(projects)
    counts = {
        row["pk"]: row
        for row in Project.objects.filter(pk__in=[p.pk for p in projects])
        .values("pk")
        .annotate(
            application_count=Count("applications"),
            overdue_count=Count(
                "applications",
                filter=Q(
                    applications__status="submitted",
                    applications__answered_at__isnull=True,
                    applications__created_at__lte=timezone.now() - ANSWER_WITHIN,
                ),
            ),
        )
    }
    for project in projects:
        project.application_count = counts[project.pk]["application_count"]
        project.overdue_count = counts[project.pk]["overdue_count"]
    return projects


def organizations_with_open_projects(*, today: datetime.date | None = None):
    return Organization.objects.filter(
        pk__in=_taking_applications(today).values("organization")
    ).order_by("name")


ORGANIZATION_SUGGESTIONS = 10


def organization_slug_for(typed: str) -> str | None:
    """The slug of the organization `typed` names: its slug (links, the API) or its name as
    typed, ignoring case; the oldest when two share a name; None when none does."""
    typed = typed.strip()
    found = (
        Organization.objects.filter(Q(slug=typed) | Q(name__iexact=typed))
        .order_by(Case(When(slug=typed, then=0), default=1), "pk")
        .values_list("slug", flat=True)
        .first()
    )
    return found


def suggest_organizations(text: str) -> QuerySet[Organization]:
    """Organizations with projects open now whose name contains `text`, by name: the discovery
    filter's suggestions (callers take a page of ORGANIZATION_SUGGESTIONS)."""
    return organizations_with_open_projects().filter(name__icontains=text.strip())


def _taking_applications(today: datetime.date | None) -> QuerySet[Project]:
    today = today or timezone.localdate()
    return Project.objects.filter(status=Project.Status.OPEN, application_deadline__gte=today)


@dataclass
class ProjectFilters:
    """What a student searches for. Money is in major units (600 means 600.00 EUR); weeks
    count the project's days (both dates included) divided by seven."""

    q: str = ""
    skills: list[int] = field(default_factory=list)  # any of them
    category: str = ""  # skill category slug
    max_hours_per_week: int | None = None
    min_weeks: int | None = None
    max_weeks: int | None = None
    min_pay: Decimal | None = None
    max_pay: Decimal | None = None
    work_mode: str = ""
    starts_from: datetime.date | None = None
    starts_to: datetime.date | None = None
    organization: str = ""  # slug
    sort: str = ""  # Sort.*; relevance when searching, newest otherwise


def effective_sort(filters: ProjectFilters) -> str:
    if filters.sort in _ORDER and (filters.sort != Sort.RELEVANCE or filters.q):
        return filters.sort
    return Sort.RELEVANCE if filters.q else Sort.NEWEST


def discover_projects(filters: ProjectFilters, *, today=None) -> QuerySet[Project]:
    """Open projects whose deadline has not passed that match every filter, in the chosen order,
    with their organization and skills loaded (two queries per page, plus the count)."""
    projects = (
        _taking_applications(today)
        .select_related("organization")
        .prefetch_related(
            Prefetch("skills", ProjectSkill.objects.select_related("skill__category"))
        )
    )
    projects = projects.annotate(pay_milli=_pay_in_thousandths())
    if filters.q:
        projects = _search(projects, filters.q)
    if filters.skills:
        projects = projects.filter(
            pk__in=ProjectSkill.objects.filter(skill__in=filters.skills).values("project")
        )
    if filters.category:
        projects = projects.filter(
            pk__in=ProjectSkill.objects.filter(skill__category__slug=filters.category).values(
                "project"
            )
        )
    if filters.max_hours_per_week is not None:
        projects = projects.filter(hours_per_week__lte=filters.max_hours_per_week)
    if filters.min_weeks is not None or filters.max_weeks is not None:
        # ends_on − starts_on is one day short of the duration (both dates count).
        projects = projects.annotate(
            span=ExpressionWrapper(F("ends_on") - F("starts_on"), output_field=DurationField())
        )
        if filters.min_weeks is not None:
            projects = projects.filter(span__gte=datetime.timedelta(days=7 * filters.min_weeks - 1))
        if filters.max_weeks is not None:
            projects = projects.filter(span__lte=datetime.timedelta(days=7 * filters.max_weeks - 1))
    if filters.min_pay is not None:
        projects = projects.filter(pay_milli__gte=math.ceil(filters.min_pay * 1000))
    if filters.max_pay is not None:
        projects = projects.filter(pay_milli__lte=math.floor(filters.max_pay * 1000))
    if filters.work_mode:
        projects = projects.filter(work_mode=filters.work_mode)
    if filters.starts_from:
        projects = projects.filter(starts_on__gte=filters.starts_from)
    if filters.starts_to:
        projects = projects.filter(starts_on__lte=filters.starts_to)
    if filters.organization:
        projects = projects.filter(organization__slug=filters.organization)
    return projects.order_by(*_ORDER[effective_sort(filters)])


def _pay_in_thousandths():
    """Compensation in thousandths of the major unit, whatever the currency's minor units, so
    600.00 EUR and 600 JPY compare as 600 (amounts only: there are no exchange rates)."""
    return Case(
        *(
            When(
                currency__in=money.currencies_with_minor_units(digits),
                then=F("compensation_amount") * 10 ** (3 - digits),
            )
            for digits in (0, 3)
        ),
        default=F("compensation_amount") * 10,
        output_field=IntegerField(),
    )


def _search(projects: QuerySet[Project], text: str) -> QuerySet[Project]:
    """Projects matching `text`, each annotated with a `rank` (higher is better). Accents and
    case never matter: the query is folded like the stored text (search.fold).

    PostgreSQL: full-text search in web-search syntax ("exact phrase", -without), ranked by
    weight, answered from the GIN index. Elsewhere (SQLite) a portable stand-in: every word (or
    quoted phrase) must occur in the title, summary, skills or body, and a word in the title
    counts most ("or" is not understood there). Both find the same projects for plain words.
    """
    text = fold(text)
    terms = _terms(text)
    if not terms:  # only quotes or "or": nothing to look for
        return projects.annotate(rank=Value(0))
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        # Ranked by the words asked for, any of them: ts_rank gives every document the same
        # (near zero) rank for a query with a -word in it.
        wanted = " or ".join(f'"{term}"' for term, excluded in terms if not excluded)
        rank = SearchRank(
            F("search_document"),
            SearchQuery(wanted, search_type="websearch", config=SEARCH_CONFIG),
        )
        return projects.filter(search_document=query).annotate(rank=rank)
    rank = Value(0)
    for term, excluded in terms:
        found = (
            Q(search_title__contains=term)
            | Q(search_summary__contains=term)
            | Q(search_skills__contains=term)
            | Q(search_body__contains=term)
        )
        if excluded:
            projects = projects.exclude(found)
            continue
        projects = projects.filter(found)
        rank += Case(
            When(search_title__contains=term, then=Value(3)),
            When(Q(search_summary__contains=term) | Q(search_skills__contains=term), then=2),
            default=Value(1),
        )
    return projects.annotate(rank=rank)


def text_matches(project: Project, text: str) -> bool:
    """Whether `project` is one that searching `text` finds, decided in Python from its stored
    folded text, as the SQLite stand-in decides it (substrings; no word forms). For checking
    many projects against many searches without a query each (saved-search alerts)."""
    document = "\n".join(
        (project.search_title, project.search_summary, project.search_skills, project.search_body)
    )
    return all((term in document) != excluded for term, excluded in _terms(fold(text)))


_TERM = re.compile(r'(-?)"([^"]+)"|(-?)([^\s"]+)')
# Punctuation around a word is not part of it: "survey," finds "survey".
_EDGE_PUNCTUATION = ".,;:!?()[]{}'"


def _terms(text: str) -> list[tuple[str, bool]]:
    """(term, excluded) pairs of a web-search query: words, "quoted phrases", -exclusions."""
    terms = []
    for minus_phrase, phrase, minus_word, word in _TERM.findall(text):
        term = (phrase or word).strip(_EDGE_PUNCTUATION + " ")
        if term and term.lower() != "or":
            terms.append((term, bool(minus_phrase or minus_word)))
    return terms


def published_since(since: datetime.datetime, *, limit: int, today=None) -> list[Project]:
    """Projects taking applications that were published after `since`, oldest first, at most
    `limit`, with their organization and skills (two queries): what saved-search alerts check
    with matches(), from the (status, published_at) index."""
    return list(
        _taking_applications(today)
        .filter(published_at__gt=since)
        .select_related("organization")
        .prefetch_related(
            Prefetch("skills", ProjectSkill.objects.select_related("skill__category"))
        )
        .order_by("published_at", "pk")[:limit]
    )


def matches(filters: ProjectFilters, project: Project) -> bool:
    """Whether discover_projects(filters) would list `project` (one taking applications, with
    its organization and skills loaded as published_since() loads them), decided in Python:
    many searches checked against the same few new projects cost no query each. Text is
    matched as on SQLite (text_matches)."""
    skills = project.skills.all()
    span = (
        (project.ends_on - project.starts_on).days
        if project.ends_on and project.starts_on
        else None
    )
    pay = _pay_in_thousandths_of(project)
    checks = (
        (filters.q, lambda: text_matches(project, filters.q)),
        (filters.skills, lambda: any(s.skill_id in filters.skills for s in skills)),
        (filters.category, lambda: any(s.skill.category.slug == filters.category for s in skills)),
        (
            filters.max_hours_per_week is not None,
            lambda: _at_most(project.hours_per_week, filters.max_hours_per_week),
        ),
        (
            filters.min_weeks is not None,
            lambda: span is not None and span >= 7 * filters.min_weeks - 1,
        ),
        (
            filters.max_weeks is not None,
            lambda: span is not None and span <= 7 * filters.max_weeks - 1,
        ),
        (
            filters.min_pay is not None,
            lambda: pay is not None and pay >= math.ceil(filters.min_pay * 1000),
        ),
        (
            filters.max_pay is not None,
            lambda: pay is not None and pay <= math.floor(filters.max_pay * 1000),
        ),
        (filters.work_mode, lambda: project.work_mode == filters.work_mode),
        (filters.starts_from, lambda: _at_most(filters.starts_from, project.starts_on)),
        (filters.starts_to, lambda: _at_most(project.starts_on, filters.starts_to)),
        (filters.organization, lambda: project.organization.slug == filters.organization),
    )
    return all(check() for wanted, check in checks if wanted)


def _at_most(low, high) -> bool:
    return low is not None and high is not None and low <= high


def _pay_in_thousandths_of(project: Project) -> int | None:
    """_pay_in_thousandths() for one project in Python."""
    if project.compensation_amount is None:
        return None
    digits = money.minor_units(project.currency)
    return project.compensation_amount * 10 ** (3 - (digits if digits in (0, 3) else 2))
