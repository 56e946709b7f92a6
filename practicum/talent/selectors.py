"""Reads for the talent pipeline: a fixed number of queries whatever the list's length."""

from django.db.models import QuerySet
from django.http import Http404

from practicum.accounts.models import Organization
from practicum.core.loading import visible_or_404
from practicum.talent.models import TalentEntry


def organization_for_list(user, slug: str) -> Organization:
    """The organization whose list the user may use; 404 for everyone outside it, as if the
    list did not exist."""
    organization = Organization.objects.filter(slug=slug).first()
    return visible_or_404(organization, user, "talent.use_list", what="list")


def entries_of(organization: Organization) -> list[TalentEntry]:
    """The list, newest first, with the student (and profile), the engagement's project and
    who added them: one query."""
    return list(
        TalentEntry.objects.filter(organization=organization)
        .select_related("student__student_profile", "engagement__project", "added_by")
        .order_by("-added_at", "-pk")
    )


def with_tag(entries: list[TalentEntry], tag: str) -> list[TalentEntry]:
    """The entries carrying the tag (case aside); all of them for no tag."""
    if not tag:
        return entries
    wanted = tag.casefold()
    return [e for e in entries if any(t.casefold() == wanted for t in e.tags)]


def tags_of(entries: list[TalentEntry]) -> list[str]:
    """Every tag used on the list, each once, alphabetically (for the filter)."""
    unique: dict[str, str] = {}
    for entry in entries:
        for tag in entry.tags:
            unique.setdefault(tag.casefold(), tag)
    return sorted(unique.values(), key=str.casefold)


def entry_of(organization: Organization, pk: int) -> TalentEntry:
    entry = (
        TalentEntry.objects.select_related("organization", "student__student_profile")
        .filter(organization=organization, pk=pk)
        .first()
    )
    if entry is None:
        raise Http404("No such entry.")
    return entry


def listings_of_student(student) -> QuerySet[TalentEntry]:
    """The organizations that listed the student, newest first (what the student may see:
    who and when, never the notes or tags)."""
    return (
        TalentEntry.objects.filter(student=student)
        .select_related("organization")
        .order_by("-added_at", "-pk")
    )


def entry_for_engagement(engagement) -> TalentEntry | None:
    """The student's entry on the list of the engagement's organization, if any."""
    return TalentEntry.objects.filter(
        organization_id=engagement.project.organization_id, student_id=engagement.student_id
    ).first()
