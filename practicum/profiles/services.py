"""Writes for student profiles. Each function is one transaction and checks who may do it."""

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from practicum.accounts.models import Institution
from practicum.core import images
from practicum.core.cleaning import (
    DATE_WINDOW_MESSAGE,
    Cleaner,
    as_date,
    as_int,
    in_date_window,
    shorten,
)
from practicum.core.errors import Refused
from practicum.core.text import text_problem
from practicum.profiles import cv, selectors
from practicum.profiles.models import AvailabilityWindow, StudentProfile, StudentSkill
from practicum.profiles.rules import may_change_profile
from practicum.skills.models import Skill

# Limits shown in help texts too, so the form and the rules cannot drift apart.
HEADLINE_MAX = 140
ABOUT_MAX = 10_000
INSTITUTION_NAME_MAX = 200
PROGRAMME_MAX = 200
WEEKLY_HOURS_MIN, WEEKLY_HOURS_MAX = 1, 60
GRADUATION_YEARS_BACK, GRADUATION_YEARS_AHEAD = 10, 8
INTERESTS_MAX, INTEREST_LENGTH_MAX = 20, 40
GOALS_MAX, GOAL_LENGTH_MAX = 10, 200
LINKS_MAX, LINK_LENGTH_MAX, LINK_LABEL_MAX = 5, 500, 60
SKILLS_MAX = 50
WINDOWS_MAX = 20
LEVELS = dict(StudentSkill.Level.choices)


@dataclasses.dataclass
class ProfileData:
    """Everything a student states on their profile; the page and the API both send this."""

    headline: str = ""
    about: str = ""
    institution: int | None = None
    institution_name: str = ""
    programme: str = ""
    graduation_year: int | None = None
    timezone: str = "UTC"
    weekly_hours: int = 10
    interests: list[str] = dataclasses.field(default_factory=list)
    learning_goals: list[str] = dataclasses.field(default_factory=list)
    # {"label", "url"} each (a bare URL string is accepted as a link without a label).
    portfolio_links: list = dataclasses.field(default_factory=list)
    open_to_future_roles: bool = False
    discoverable: bool = False
    skills: list[tuple[Any, Any]] = dataclasses.field(default_factory=list)  # (skill_id, level)
    availability: list[tuple[Any, Any]] = dataclasses.field(default_factory=list)  # (start, end)


FIELDS = tuple(f.name for f in dataclasses.fields(ProfileData))


def graduation_year_range() -> tuple[int, int]:
    year = timezone.now().year
    return year - GRADUATION_YEARS_BACK, year + GRADUATION_YEARS_AHEAD


@transaction.atomic
def create_profile(user) -> StudentProfile:
    """Every student account has exactly one profile, created empty at sign-up."""
    profile, _ = StudentProfile.objects.get_or_create(user=user)
    return profile


def give_students_a_profile(sender, user, **kwargs) -> None:
    """Receiver of accounts.signals.account_created: a new student gets their profile."""
    if user.is_student:
        create_profile(user)


def own_profile(user) -> StudentProfile:
    """The logged-in student's profile, with its details loaded; only students have one.

    Accounts made outside sign-up (e.g. in the admin) get theirs on first use, so "My profile"
    never leads nowhere.
    """
    if not user.is_authenticated or not user.is_student:
        raise Refused("not_a_student", "Only student accounts have a profile.")
    profile = selectors.own_profile_for_page(user)
    if profile is None:
        create_profile(user)
        profile = selectors.own_profile_for_page(user)
    return profile


def current_data(profile: StudentProfile, names=FIELDS) -> dict[str, Any]:
    """The profile's stored values for `names`, in the shape update_profile accepts."""
    values: dict[str, Any] = {}
    for name in names:
        if name == "institution":
            values[name] = profile.institution_id
        elif name == "timezone":
            values[name] = profile.user.timezone
        elif name == "skills":
            values[name] = [(s.skill_id, s.level) for s in profile.skills.all()]
        elif name == "availability":
            values[name] = [(w.starts_on, w.ends_on) for w in profile.availability.all()]
        else:
            values[name] = getattr(profile, name)
    return values


@transaction.atomic
def update_profile(profile: StudentProfile, *, by, data: ProfileData | Mapping) -> StudentProfile:
    """Replace what the student states on their profile; only the student may.

    `data` is a ProfileData, or a mapping whose missing keys keep their stored value (what a
    partial API update sends). Every rule is checked before anything is written: on any error
    a ValidationError maps each field name ("skills", "availability", …) to its messages and
    nothing is saved. Skills and availability windows are replaced wholesale. Messages about
    one skill or window carry its position in `params["index"]` (0-based), so a form can show
    them next to the right row.
    """
    if not may_change_profile(by, profile):
        raise Refused("not_your_profile", "You can only edit your own profile.")
    if isinstance(data, Mapping):
        unknown = sorted(set(data) - set(FIELDS))
        if unknown:
            raise ValidationError({name: "This field does not exist." for name in unknown})
        values = current_data(profile, [n for n in FIELDS if n not in data]) | dict(data)
    else:
        values = dataclasses.asdict(data)
    cleaned = _Cleaner(values).clean()

    for name in (
        "headline",
        "about",
        "institution_name",
        "programme",
        "graduation_year",
        "weekly_hours",
        "interests",
        "learning_goals",
        "portfolio_links",
        "open_to_future_roles",
        "discoverable",
    ):
        setattr(profile, name, cleaned[name])
    profile.institution_id = cleaned["institution"]
    profile.updated_at = timezone.now()
    profile.save()
    if profile.user.timezone != cleaned["timezone"]:
        profile.user.timezone = cleaned["timezone"]
        profile.user.save(update_fields=["timezone"])
    profile.skills.all().delete()
    StudentSkill.objects.bulk_create(
        StudentSkill(profile=profile, skill_id=skill_id, level=level)
        for skill_id, level in cleaned["skills"]
    )
    profile.availability.all().delete()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(profile=profile, starts_on=start, ends_on=end)
        for start, end in cleaned["availability"]
    )
    # Drops the skills and windows prefetched before the change, which no longer hold.
    profile.refresh_from_db()
    return profile


class _Cleaner(Cleaner):
    """Checks every field, collecting all messages, and returns the values to store."""

    def clean(self) -> dict[str, Any]:
        cleaned = {
            "headline": self.text("headline", HEADLINE_MAX),
            "about": self.text("about", ABOUT_MAX, multiline=True),
            "institution": self.institution(),
            "institution_name": self.text("institution_name", INSTITUTION_NAME_MAX),
            "programme": self.text("programme", PROGRAMME_MAX),
            "graduation_year": self.graduation_year(),
            "timezone": self.timezone(),
            "weekly_hours": self.weekly_hours(),
            "interests": self.interests(),
            "learning_goals": self.learning_goals(),
            "portfolio_links": self.portfolio_links(),
            "open_to_future_roles": self.flag("open_to_future_roles"),
            "discoverable": self.flag("discoverable"),
            "skills": self.skills(),
            "availability": self.availability(),
        }
        if self.errors:
            raise ValidationError(self.errors)
        if cleaned["institution"] is not None:
            # The free-text name is only for institutions not on Practicum; a stale one would
            # contradict the institution the student picked.
            cleaned["institution_name"] = ""
        return cleaned

    def flag(self, field: str) -> bool:
        value = self.values[field]
        if not isinstance(value, bool):
            self.error(field, "Enter true or false.")
            return False
        return value

    def institution(self) -> int | None:
        value = self.values["institution"]
        if value is None or value == "":
            return None
        pk = as_int(value)
        if pk is None or not Institution.objects.filter(pk=pk).exists():
            self.error("institution", "Choose an institution from the list.", code="unknown")
            return None
        return pk

    def graduation_year(self) -> int | None:
        value = self.values["graduation_year"]
        if value is None or value == "":
            return None
        year = as_int(value)
        first, last = graduation_year_range()
        if year is None or not first <= year <= last:
            self.error(
                "graduation_year",
                "Graduation year must be between %(first)s and %(last)s.",
                code="out_of_range",
                first=first,
                last=last,
            )
            return None
        return year

    def weekly_hours(self) -> int:
        hours = as_int(self.values["weekly_hours"])
        if hours is None or not WEEKLY_HOURS_MIN <= hours <= WEEKLY_HOURS_MAX:
            self.error(
                "weekly_hours",
                "Hours per week must be a whole number between %(min)s and %(max)s.",
                code="out_of_range",
                min=WEEKLY_HOURS_MIN,
                max=WEEKLY_HOURS_MAX,
            )
            return WEEKLY_HOURS_MIN
        return hours

    def lines(self, field: str, noun: str) -> list[str] | None:
        """The non-empty, trimmed items of a list of strings; None (after an error) if not one."""
        value = self.values[field]
        if not isinstance(value, list | tuple):
            self.error(field, "Enter a list of %(noun)ss.", noun=noun.lower())
            return None
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.error(
                    field,
                    "%(noun)s #%(number)s must be text.",
                    noun=noun,
                    index=index,
                    number=index + 1,
                )
            elif item.strip():
                items.append(item.strip())
        return items

    def limit(self, field, items, *, noun, max_count, max_length) -> list[str]:
        for index, item in enumerate(items):
            if len(item) > max_length:
                self.error(
                    field,
                    "%(noun)s #%(number)s (“%(value)s”) is longer than %(max)s characters.",
                    code="max_length",
                    noun=noun,
                    index=index,
                    number=index + 1,
                    value=shorten(item),
                    max=max_length,
                )
        self.at_most(field, len(items), max_count, noun.lower() + "s")
        return items

    def interests(self) -> list[str]:
        items = self.lines("interests", "Interest")
        if items is None:
            return []
        # "Python" and "python" are one interest: keep the first spelling given.
        unique: dict[str, str] = {}
        for item in items:
            unique.setdefault(item.casefold(), item)
        return self.limit(
            "interests",
            list(unique.values()),
            noun="Interest",
            max_count=INTERESTS_MAX,
            max_length=INTEREST_LENGTH_MAX,
        )

    def learning_goals(self) -> list[str]:
        items = self.lines("learning_goals", "Learning goal")
        if items is None:
            return []
        return self.limit(
            "learning_goals",
            items,
            noun="Learning goal",
            max_count=GOALS_MAX,
            max_length=GOAL_LENGTH_MAX,
        )

    def portfolio_links(self) -> list[dict[str, str]]:
        """Each link a {"label", "url"}; a bare string is a link without a label. The address
        must be http(s) (never javascript: or data:), each label one short line of text."""
        value = self.values["portfolio_links"]
        if not isinstance(value, list | tuple):
            self.error("portfolio_links", "Enter a list of links.")
            return []
        links: dict[str, dict[str, str]] = {}
        validate_url = URLValidator(schemes=["http", "https"])
        for index, item in enumerate(value):
            number = index + 1
            if isinstance(item, str):
                item = {"label": "", "url": item}
            if (
                not isinstance(item, Mapping)
                or set(item) - {"label", "url"}
                or not all(isinstance(item.get(key, ""), str) for key in ("label", "url"))
            ):
                self.error(
                    "portfolio_links",
                    "Link #%(number)s must be a label and a web address.",
                    index=index,
                    number=number,
                )
                continue
            url, label = item.get("url", "").strip(), " ".join(item.get("label", "").split())
            if not url:
                if label:
                    self.error(
                        "portfolio_links",
                        "Link #%(number)s (“%(label)s”) has no web address.",
                        code="missing_url",
                        index=index,
                        number=number,
                        label=shorten(label),
                    )
                continue
            if len(url) > LINK_LENGTH_MAX:
                self.error(
                    "portfolio_links",
                    "Link #%(number)s is longer than %(max)s characters.",
                    code="max_length",
                    index=index,
                    number=number,
                    max=LINK_LENGTH_MAX,
                )
                continue
            try:
                validate_url(url)
            except ValidationError:
                self.error(
                    "portfolio_links",
                    "Link #%(number)s (“%(value)s”) is not a web address starting with "
                    "http:// or https://.",
                    code="not_http",
                    index=index,
                    number=number,
                    value=shorten(url),
                )
                continue
            if len(label) > LINK_LABEL_MAX:
                self.error(
                    "portfolio_links",
                    "The label of link #%(number)s is longer than %(max)s characters.",
                    code="max_length",
                    index=index,
                    number=number,
                    max=LINK_LABEL_MAX,
                )
            elif (problem := text_problem(label, multiline=False)) is not None:
                self.error("portfolio_links", problem, code="invalid_character", index=index)
            # The same address twice is one link: the first label given wins.
            links.setdefault(url, {"label": label, "url": url})
        self.at_most("portfolio_links", len(links), LINKS_MAX, "links")
        return list(links.values())

    def pairs(self, field: str, noun: str) -> list | None:
        value = self.values[field]
        if not isinstance(value, list | tuple):
            self.error(field, "Enter a list of %(noun)ss.", noun=noun)
            return None
        for index, pair in enumerate(value):
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                self.error(
                    field,
                    "%(noun)s #%(number)s is not a pair of values.",
                    noun=noun.capitalize(),
                    index=index,
                    number=index + 1,
                )
                return None
        return list(value)

    def skills(self) -> list[tuple[int, int]]:
        pairs = self.pairs("skills", "skill")
        if pairs is None:
            return []
        if len(pairs) > SKILLS_MAX:
            self.error(
                "skills",
                "At most %(max)s skills (you gave %(count)s).",
                code="too_many",
                max=SKILLS_MAX,
                count=len(pairs),
            )
            return []
        ids = [as_int(skill_id) for skill_id, _ in pairs]
        known = Skill.objects.in_bulk([pk for pk in ids if pk is not None])
        seen: dict[int, int] = {}
        cleaned = []
        for index, (skill_id, (_, raw_level)) in enumerate(zip(ids, pairs, strict=True)):
            number = index + 1
            skill = known.get(skill_id)
            if skill is None:
                self.error(
                    "skills",
                    "Skill #%(number)s: there is no skill with id %(id)s.",
                    code="unknown_skill",
                    index=index,
                    number=number,
                    id=pairs[index][0],
                )
            elif skill.pk in seen:
                self.error(
                    "skills",
                    "Skill #%(number)s: %(name)s is already listed as skill #%(first)s.",
                    code="duplicate_skill",
                    index=index,
                    number=number,
                    name=skill.name,
                    first=seen[skill.pk],
                )
            else:
                seen[skill.pk] = number
            level = as_int(raw_level)
            if level not in LEVELS:
                self.error(
                    "skills",
                    "Skill #%(number)s: level must be between 1 and 4.",
                    code="bad_level",
                    index=index,
                    number=number,
                )
            cleaned.append((skill_id, level))
        return cleaned

    def availability(self) -> list[tuple[datetime.date, datetime.date]]:
        pairs = self.pairs("availability", "window")
        if pairs is None:
            return []
        if len(pairs) > WINDOWS_MAX:
            self.error(
                "availability",
                "At most %(max)s availability windows (you gave %(count)s).",
                code="too_many",
                max=WINDOWS_MAX,
                count=len(pairs),
            )
            return []
        windows: list[tuple[int, datetime.date, datetime.date]] = []
        for index, (raw_start, raw_end) in enumerate(pairs):
            number = index + 1
            start, end = as_date(raw_start), as_date(raw_end)
            if (
                start is not None
                and end is not None
                and not (in_date_window(start) and in_date_window(end))
            ):
                self.error("availability", DATE_WINDOW_MESSAGE, code="date_out_of_range")
            elif start is None or end is None:
                self.error(
                    "availability",
                    "Window #%(number)s: give both a start and an end date (YYYY-MM-DD).",
                    code="missing_date",
                    index=index,
                    number=number,
                )
            elif end < start:
                self.error(
                    "availability",
                    "Window #%(number)s: ends on %(end)s, before it starts on %(start)s.",
                    code="ends_before_start",
                    index=index,
                    number=number,
                    start=start.isoformat(),
                    end=end.isoformat(),
                )
            else:
                windows.append((index, start, end))
        # Dates are inclusive, so a window ending on the day another starts overlaps it.
        for later_pos, (index, start, end) in enumerate(windows):
            for other_index, other_start, other_end in windows[:later_pos]:
                if (start, end) == (other_start, other_end):
                    message = "Window #%(number)s is the same as window #%(other)s."
                    code = "duplicate_window"
                elif start <= other_end and other_start <= end:
                    message = (
                        "Window #%(number)s overlaps window #%(other)s "
                        "(%(other_start)s to %(other_end)s)."
                    )
                    code = "overlapping_windows"
                else:
                    continue
                self.error(
                    "availability",
                    message,
                    code=code,
                    index=index,
                    number=index + 1,
                    other=other_index + 1,
                    other_start=other_start.isoformat(),
                    other_end=other_end.isoformat(),
                )
                break
        return sorted((start, end) for _, start, end in windows)


def _check_owner(profile: StudentProfile, by) -> None:
    if not may_change_profile(by, profile):
        raise Refused("not_your_profile", "You can only change your own profile.")


def _forget_file_after_commit(name: str, delete) -> None:
    """A replaced or removed file leaves the storage once the row no longer names it; if the
    transaction rolls back, the row still does and the file stays."""
    if name:
        transaction.on_commit(lambda: delete(name))


def _save_files(profile: StudentProfile, fields: list[str], stored: str, delete) -> None:
    """Save the row that now names the newly `stored` file; the file goes if the save fails."""
    try:
        profile.updated_at = timezone.now()
        profile.save(update_fields=[*fields, "updated_at"])
    except Exception:
        delete(stored)
        raise


@transaction.atomic
def set_photo(profile: StudentProfile, *, by, upload) -> StudentProfile:
    """The student's photo, replacing any other: a JPEG, PNG or WebP picture of at most 5 MB
    and 4096 pixels a side, stored redrawn (square, without its metadata). Only the student."""
    _check_owner(profile, by)
    data = images.redraw(upload, field="photo", square=True)
    old = profile.photo.name
    profile.photo.name = images.store(data, folder="photos")
    _save_files(profile, ["photo"], profile.photo.name, images.delete)
    _forget_file_after_commit(old, images.delete)
    return profile


@transaction.atomic
def remove_photo(profile: StudentProfile, *, by) -> StudentProfile:
    _check_owner(profile, by)
    old = profile.photo.name
    profile.photo.name = ""
    profile.updated_at = timezone.now()
    profile.save(update_fields=["photo", "updated_at"])
    _forget_file_after_commit(old, images.delete)
    return profile


@transaction.atomic
def set_cv(profile: StudentProfile, *, by, upload) -> StudentProfile:
    """The student's CV, replacing any other: a readable, unencrypted PDF of at most 5 MB.
    Only the student; organizations see it on the applications the student sends them."""
    _check_owner(profile, by)
    cv.check(upload)
    old = profile.cv.name
    profile.cv.name = cv.store(upload)
    profile.cv_name = cv.clean_name(upload.name)
    profile.cv_size = upload.size
    profile.cv_uploaded_at = timezone.now()
    _save_files(profile, ["cv", "cv_name", "cv_size", "cv_uploaded_at"], profile.cv.name, cv.delete)
    _forget_file_after_commit(old, cv.delete)
    return profile


@transaction.atomic
def remove_cv(profile: StudentProfile, *, by) -> StudentProfile:
    _check_owner(profile, by)
    old = profile.cv.name
    profile.cv.name, profile.cv_name, profile.cv_size, profile.cv_uploaded_at = "", "", None, None
    profile.updated_at = timezone.now()
    profile.save(update_fields=["cv", "cv_name", "cv_size", "cv_uploaded_at", "updated_at"])
    _forget_file_after_commit(old, cv.delete)
    return profile


def erase_profile(sender, user, **kwargs) -> None:
    """accounts.signals.account_deleted: the profile keeps no personal data, and its photo and
    CV leave the storage. Saving it with "open to future roles" off also takes the student off
    every talent list (talent's own receiver of the profile's save)."""
    profile = StudentProfile.objects.filter(user=user).first()
    if profile is None:
        return
    profile.skills.all().delete()
    profile.availability.all().delete()
    for name in ("headline", "about", "institution_name", "programme"):
        setattr(profile, name, "")
    profile.interests, profile.learning_goals, profile.portfolio_links = [], [], []
    profile.institution = None
    profile.graduation_year = None
    profile.open_to_future_roles = profile.discoverable = False
    # The photo and the CV go from the storage too, once the deletion is committed.
    _forget_file_after_commit(profile.photo.name, images.delete)
    _forget_file_after_commit(profile.cv.name, cv.delete)
    profile.photo.name = profile.cv.name = profile.cv_name = ""
    profile.cv_size = profile.cv_uploaded_at = None
    profile.updated_at = timezone.now()
    profile.save()
