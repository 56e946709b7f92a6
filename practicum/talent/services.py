"""Writes for the talent pipeline. Each service is one transaction and checks once who may act.

Consent is the student's "open to future roles" flag. Adding someone and withdrawing consent
both lock the student's profile row first, so a withdrawal and an addition racing each other
take turns: the addition either lands before the withdrawal (which then deletes it) or sees the
flag off and is refused. No entry survives a withdrawal.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from practicum.core.errors import Conflict, Refused
from practicum.engagements.models import Engagement, Side
from practicum.profiles import services as profile_services
from practicum.profiles.models import StudentProfile
from practicum.talent.models import NOTES_MAX, TalentEntry
from practicum.workspace import access

TAGS_MAX, TAG_LENGTH_MAX = 10, 40


def clean_tags(value) -> list[str]:
    """Trimmed, without empties, the first spelling of each (case aside), at most 10 of at most
    40 characters; a string is split at commas (what the page's field sends)."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(tag, str) for tag in value):
        raise ValidationError({"tags": [ValidationError("Send a list of tags.")]})
    unique: dict[str, str] = {}
    for tag in value:
        tag = " ".join(tag.split())
        if tag:
            unique.setdefault(tag.casefold(), tag)
    tags = list(unique.values())
    problems = [
        ValidationError(f"“{tag[:20]}…” is longer than {TAG_LENGTH_MAX} characters.")
        for tag in tags
        if len(tag) > TAG_LENGTH_MAX
    ]
    if len(tags) > TAGS_MAX:
        problems.append(ValidationError(f"At most {TAGS_MAX} tags (you gave {len(tags)})."))
    if problems:
        raise ValidationError({"tags": problems})
    return tags


def clean_notes(value) -> str:
    if not isinstance(value, str):
        raise ValidationError({"notes": [ValidationError("Enter text.")]})
    value = value.replace("\r\n", "\n").strip()
    if len(value) > NOTES_MAX:
        raise ValidationError(
            {"notes": [ValidationError(f"At most {NOTES_MAX:,} characters.", code="max_length")]}
        )
    return value


def _clean(notes, tags) -> tuple[str, list[str]]:
    errors = {}
    cleaned = []
    for clean, value in ((clean_notes, notes), (clean_tags, tags)):
        try:
            cleaned.append(clean(value))
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned[0], cleaned[1]


def _locked_profile(student) -> StudentProfile:
    profile = StudentProfile.objects.select_for_update().filter(user=student).first()
    if profile is None:
        # Accounts made outside sign-up get their (empty, not consenting) profile on first use.
        profile_services.create_profile(student)
        profile = StudentProfile.objects.select_for_update().get(user=student)
    return profile


@transaction.atomic
def add_to_list(engagement: Engagement, *, by, notes: str = "", tags=()) -> TalentEntry:
    """The organization's side of a completed engagement (its mentor or an owner) puts the
    student on the organization's talent list with private notes and tags. Only while the
    student is open to future roles (409 no_consent), once per organization (409 listed)."""
    access.require_side(by, engagement, Side.ORGANIZATION)
    # Read afresh; no lock needed: once completed, an engagement stays completed.
    engagement = Engagement.objects.select_related("project", "student").get(pk=engagement.pk)
    if engagement.state != Engagement.State.COMPLETED:
        raise Conflict(
            "not_completed", "Students are added to the talent list after the engagement."
        )
    notes, tags = _clean(notes, tags)
    profile = _locked_profile(engagement.student)
    if not profile.open_to_future_roles:
        raise Conflict(
            "no_consent", f"{engagement.student.name} is not open to future roles right now."
        )
    organization_id = engagement.project.organization_id
    if TalentEntry.objects.filter(
        organization_id=organization_id, student_id=engagement.student_id
    ).exists():
        raise Conflict("listed", f"{engagement.student.name} is already on your talent list.")
    return TalentEntry.objects.create(
        organization_id=organization_id,
        student_id=engagement.student_id,
        engagement=engagement,
        notes=notes,
        tags=tags,
        added_by=by,
    )


def _check_member(by, entry: TalentEntry) -> None:
    if not by.has_perm("talent.use_list", entry.organization):
        # The list is private: to anyone else the entry does not exist.
        raise Http404("No such entry.")


@transaction.atomic
def update_entry(entry: TalentEntry, *, by, notes=None, tags=None) -> TalentEntry:
    """A member of the organization changes the notes and tags (None keeps them)."""
    _check_member(by, entry)
    notes, tags = _clean(
        entry.notes if notes is None else notes, entry.tags if tags is None else tags
    )
    entry.notes, entry.tags, entry.updated_at = notes, tags, timezone.now()
    entry.save(update_fields=["notes", "tags", "updated_at"])
    return entry


@transaction.atomic
def remove_entry(entry: TalentEntry, *, by) -> None:
    """A member of the organization takes the student off the list."""
    _check_member(by, entry)
    entry.delete()


@transaction.atomic
def withdraw_consent(student, *, by) -> int:
    """The student withdraws consent: they leave every organization's list (the entries are
    deleted, notes and all) and "open to future roles" is turned off, so nobody can add them
    again until they turn it back on. The number of lists they left."""
    if not by.is_authenticated or by.pk != student.pk or not student.is_student:
        raise Refused("not_yours", "Only the student withdraws their own consent.")
    profile = _locked_profile(student)
    removed, _ = TalentEntry.objects.filter(student=student).delete()
    if profile.open_to_future_roles:
        profile_services.update_profile(profile, by=by, data={"open_to_future_roles": False})
    return removed


@transaction.atomic
def give_consent(student, *, by) -> None:
    """The student turns "open to future roles" on (offered on the completion page): the
    organizations they completed an engagement with may then add them to their talent list."""
    if not by.is_authenticated or by.pk != student.pk or not student.is_student:
        raise Refused("not_yours", "Only the student gives their own consent.")
    profile = _locked_profile(student)
    if not profile.open_to_future_roles:
        profile_services.update_profile(profile, by=by, data={"open_to_future_roles": True})


def forget_student(student_id: int) -> None:
    """The student is no longer open to future roles (however it was turned off): no list
    keeps them. Called when a profile is saved with the flag off (see apps.py)."""
    TalentEntry.objects.filter(student_id=student_id).delete()
