"""Writes for saved searches: saving, changing, deleting, unsubscribing, and the alert pass.

The alert pass (deliver_alerts, run by the periodic job) is set-based: whatever the number of
saved searches, it reads the due searches (one query, at most BATCH), the projects published
since the oldest of their cursors (two queries: projects with their organization, their
skills), the hits already recorded for those pairs (one), writes the new hits (one) and moves
the cursors (one update per frequency). Matching happens in Python (projects.selectors.matches)
on the few new projects. Only searches with something new then cost a notify() each: the
work grows with what is delivered, not with what is stored.
"""

import datetime
from dataclasses import fields
from decimal import Decimal
from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from practicum.accounts.models import User
from practicum.alerts import selectors
from practicum.alerts.models import SavedSearch, SavedSearchHit
from practicum.alerts.tokens import make_token, read_token
from practicum.core.errors import Conflict, Refused, ServiceError
from practicum.core.idempotency import idempotent
from practicum.notifications.services import notify
from practicum.projects import selectors as project_selectors
from practicum.projects.forms import ProjectFilterForm
from practicum.projects.selectors import ProjectFilters

MAX_SEARCHES = 20
NAME_MAX = 100
QUERY_MAX = 2000
BATCH = 500  # due searches handled per pass; the rest wait for the next pass (a minute)
NEW_PROJECTS_MAX = 2000  # new projects checked per pass, oldest first
# A project committed a little after a pass read the table may carry a published_at before the
# cursor: each pass looks this far back again (the hits keep it from being announced twice).
GRACE = datetime.timedelta(minutes=5)
PERIOD = {
    SavedSearch.Frequency.INSTANT: datetime.timedelta(0),
    SavedSearch.Frequency.DAILY: datetime.timedelta(days=1),
    SavedSearch.Frequency.WEEKLY: datetime.timedelta(days=7),
}


class InvalidLink(ServiceError):
    status = 400


def normalize(query: str) -> str:
    """The discovery query string as the filter form reads it, in a fixed order, without the
    page: what is stored. Any filter the form refuses is a ValidationError on `query`."""
    if len(query) > QUERY_MAX:
        raise ValidationError({"query": [f"A search is at most {QUERY_MAX} characters long."]})
    form = ProjectFilterForm(QueryDict(query.lstrip("?")), offer_fit=True)
    if not form.is_valid():
        raise ValidationError(
            {
                "query": [
                    f"{form.fields[name].label or name}: {message}"
                    for name, messages in form.errors.items()
                    for message in messages
                ]
            }
        )
    return _encode(form.to_filters())


def _encode(filters: ProjectFilters) -> str:
    pairs = []
    for spec in fields(ProjectFilters):
        value = getattr(filters, spec.name)
        for item in value if isinstance(value, list) else [value]:
            if item is None or item == "":
                continue
            if isinstance(item, datetime.date):
                item = item.isoformat()
            elif isinstance(item, Decimal):
                item = format(item.normalize(), "f")
            pairs.append((spec.name, str(item)))
    return urlencode(pairs)


def _clean(name: str, frequency: str) -> dict:
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = ["Give the search a name."]
    elif len(name) > NAME_MAX:
        errors["name"] = [f"A name is at most {NAME_MAX} characters long."]
    if frequency not in SavedSearch.Frequency.values:
        errors["frequency"] = [f"Choose one of: {', '.join(SavedSearch.Frequency.values)}."]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "frequency": frequency}


def _schedule(search: SavedSearch, now: datetime.datetime) -> None:
    period = PERIOD.get(search.frequency)
    search.next_run_at = None if period is None else now + period


@idempotent("alerts.save_search")
def save_search(student, *, by, name: str, query: str, frequency: str) -> SavedSearch:
    """Save a discovery search for the student (themselves only; at most MAX_SEARCHES). Alerts
    announce projects published from now on."""
    if not by.has_perm("alerts.save_search") or by.pk != student.pk:
        raise Refused("students_only", "Only students can save searches, each their own.")
    cleaned = _clean(name, frequency)
    normalized = normalize(query)
    with transaction.atomic():
        # The student's row lock keeps two saves at once from passing the limit together.
        User.objects.select_for_update().filter(pk=student.pk).first()
        if SavedSearch.objects.filter(student=student).count() >= MAX_SEARCHES:
            raise Conflict(
                "too_many_searches",
                f"You can keep {MAX_SEARCHES} saved searches: delete one to save another.",
            )
        now = timezone.now()
        search = SavedSearch(student=student, query=normalized, created_at=now, **cleaned)
        search.checked_until = now + GRACE  # the pass looks GRACE before it: from now on
        _schedule(search, now)
        search.save()
    return search


@transaction.atomic
def update_search(search: SavedSearch, *, by, name: str | None = None, frequency=None):
    """Rename the search or change how often it alerts (its owner only). Switching alerts back
    on announces only what is published from then on."""
    if not by.has_perm("alerts.manage_search", search):
        raise ServiceError("not_found", "No such saved search.", status=404)
    cleaned = _clean(
        search.name if name is None else name,
        search.frequency if frequency is None else frequency,
    )
    now = timezone.now()
    was_off = search.frequency == SavedSearch.Frequency.OFF
    search.name, search.frequency = cleaned["name"], cleaned["frequency"]
    if search.frequency == SavedSearch.Frequency.OFF:
        search.link_version += 1
    elif was_off:
        search.checked_until = now + GRACE
    _schedule(search, now)
    search.save(update_fields=["name", "frequency", "next_run_at", "checked_until", "link_version"])
    return search


@transaction.atomic
def delete_search(search: SavedSearch, *, by) -> None:
    if not by.has_perm("alerts.manage_search", search):
        raise ServiceError("not_found", "No such saved search.", status=404)
    search.delete()


def search_for_token(token: str) -> SavedSearch:
    """The saved search an unsubscribe link is for; InvalidLink when the link is not genuine,
    has expired, was used already, or its search is gone."""
    try:
        search_id, version = read_token(token)
    except signing.SignatureExpired:
        raise InvalidLink("expired_link", "This unsubscribe link has expired.") from None
    except signing.BadSignature:
        raise InvalidLink(
            "invalid_link", "This unsubscribe link is not valid: copy the whole link."
        ) from None
    search = SavedSearch.objects.filter(pk=search_id).select_related("student").first()
    if search is None:
        raise InvalidLink("invalid_link", "This saved search no longer exists.")
    if search.link_version != version or search.frequency == SavedSearch.Frequency.OFF:
        raise InvalidLink("used_link", "This link was used already: these alerts are off.")
    return search


@transaction.atomic
def unsubscribe(token: str) -> SavedSearch:
    """Switch one saved search's alerts off from its emailed link (no login: the signature is
    the proof). The link then stops working."""
    search = search_for_token(token)
    locked = SavedSearch.objects.select_for_update().get(pk=search.pk)
    if locked.link_version != search.link_version:
        raise InvalidLink("used_link", "This link was used already: these alerts are off.")
    locked.frequency = SavedSearch.Frequency.OFF
    locked.link_version += 1
    locked.next_run_at = None
    locked.save(update_fields=["frequency", "link_version", "next_run_at"])
    return locked


def unsubscribe_path(search: SavedSearch) -> str:
    return reverse("alerts:unsubscribe", args=[make_token(search)])


# --- The alert pass ----------------------------------------------------------------------------


def deliver_alerts(now: datetime.datetime) -> int:
    """Announce the projects newly matching every due saved search, each project once per
    search; the number of notifications recorded. Safe to run from several schedulers at once:
    on PostgreSQL each takes different searches (SKIP LOCKED), and the hits' unique constraint
    never lets a project be recorded twice for one search."""
    if not SavedSearch.objects.filter(next_run_at__lte=now).exists():
        return 0  # the quiet pass: one query, no transaction
    with transaction.atomic():
        due = SavedSearch.objects.filter(next_run_at__lte=now).order_by("next_run_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        due = list(due.select_related("student")[:BATCH])
        if not due:
            return 0
        since = min(search.checked_until for search in due) - GRACE
        projects = project_selectors.published_since(since, limit=NEW_PROJECTS_MAX)
        known = set(
            SavedSearchHit.objects.filter(
                search__in=[s.pk for s in due], project__in=[p.pk for p in projects]
            ).values_list("search_id", "project_id")
        )
        found: dict[int, list] = {}
        for search in due:
            filters = selectors.filters_of(search)
            if filters is None:
                continue
            window_start = search.checked_until - GRACE
            found[search.pk] = [
                project
                for project in projects
                if project.published_at > window_start
                and (search.pk, project.pk) not in known
                and project_selectors.matches(filters, project)
            ]
        SavedSearchHit.objects.bulk_create(
            [
                SavedSearchHit(search_id=search_id, project=project, created_at=now)
                for search_id, new in found.items()
                for project in new
            ],
            ignore_conflicts=True,
        )
        recorded = 0
        for search in due:
            new = found.get(search.pk)
            if new and search.student.is_active:
                recorded += _announce(search, new, now)
        # The cursor moves to the newest project checked when the list was cut short, so the
        # rest comes next pass; else to now.
        cursor = projects[-1].published_at if len(projects) == NEW_PROJECTS_MAX else now
        for frequency, period in PERIOD.items():
            SavedSearch.objects.filter(
                pk__in=[s.pk for s in due if s.frequency == frequency]
            ).update(checked_until=cursor, next_run_at=now + period)
    return recorded


def _announce(search: SavedSearch, projects: list, now: datetime.datetime) -> int:
    count = len(projects)
    phrase = f"{count} new project{'s' if count != 1 else ''} match{'es' if count == 1 else ''}"
    notification = notify(
        search.student,
        "saved_search_match",
        search,
        context={
            "count": count,
            "projects": phrase,
            "project_ids": [p.pk for p in projects[:50]],
            "stop_url": unsubscribe_path(search),
        },
        occurrence=f"{max(p.pk for p in projects)}:{now:%Y%m%dT%H%M%S}",
        url=reverse("alerts:results", args=[search.pk]),
        title=search.name,
    )
    return notification is not None


def forget_student(sender, user, **kwargs) -> None:
    """accounts.signals.account_deleted: a deleted account keeps no saved searches."""
    SavedSearch.objects.filter(student=user).delete()
