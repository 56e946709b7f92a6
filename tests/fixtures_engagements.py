"""Fixtures for everything that happens around one project: its organization and people, an
application, an offer, an engagement pending or active, career-center staff, and a helper that
runs functions concurrently. Loaded for every test through `pytest_plugins` in tests/conftest.py.
"""

import datetime
import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from practicum.accounts.models import Membership
from practicum.engagements.models import Application
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    ProjectFactory,
    StudentFactory,
)


def days(n: int) -> datetime.date:
    """The date n days from today (the day the services call "today")."""
    return timezone.localdate() + datetime.timedelta(days=n)


def make_offered(application: Application, *, expires_in: datetime.timedelta | None = None):
    """Put an application in "offered" as make_offer leaves it, without going through it."""
    now = timezone.now()
    application.status = Application.Status.OFFERED
    application.offered_at = now
    application.offer_expires_at = now + (expires_in or datetime.timedelta(days=5))
    application.save()
    return application


@pytest.fixture
def organization(owner):
    return owner.memberships.get().organization


@pytest.fixture
def mentor(organization):
    """A mentor (not an owner) of `organization`: the mentor of `project`."""
    return MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user


@pytest.fixture
def other_mentor(organization):
    """Another mentor of `organization`, not the mentor of `project`."""
    return MembershipFactory(organization=organization, role=Membership.Role.MENTOR).user


@pytest.fixture
def outsider(db):
    """The owner of another organization."""
    return MembershipFactory().user


@pytest.fixture
def other_student(db):
    return StudentFactory()


@pytest.fixture
def project(organization, mentor):
    """An open project of `organization`: starts in 14 days, 4 weeks, 10 h/week, 1 place."""
    return ProjectFactory(organization=organization, mentor=mentor)


@pytest.fixture
def application(project, student):
    return ApplicationFactory(project=project, student=student)


@pytest.fixture
def offered(application):
    return make_offered(application)


class Concurrently:
    """Runs functions in threads that start together, each on its own database connection.

    SQLite's in-memory test database is shared between connections through SQLite's shared
    cache, whose table locks fail at once ("database table is locked") instead of waiting for
    busy_timeout. So on SQLite the threads work on a file copy of the test database, opened with
    the settings' OPTIONS (IMMEDIATE transactions, WAL, busy_timeout 5 s) the way the
    application runs on SQLite. PostgreSQL needs nothing of the sort: the threads use the test
    database itself.
    """

    def __init__(self, directory):
        self.copy = None
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            self.copy = directory / "concurrent.sqlite3"
            main = connections["default"]
            self.wrapper_class = type(main)
            self.settings_dict = {**main.settings_dict, "NAME": str(self.copy)}

    def run(self, functions) -> list:
        """What each function returned, or the exception it raised, in order."""
        if self.copy is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.copy)
            connection.connection.backup(target)
            target.close()
        barrier = threading.Barrier(len(functions))
        results: list = [None] * len(functions)

        def work(index, function):
            self._connect()
            try:
                barrier.wait()
                results[index] = function()
            except Exception as exc:  # the outcome under test, whatever it is
                results[index] = exc
            finally:
                connections["default"].close()

        threads = [threading.Thread(target=work, args=pair) for pair in enumerate(functions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def read(self, function):
        """function's result, read from the database the threads wrote to."""
        if self.copy is None:
            return function()
        result = []

        def work():
            self._connect()
            try:
                result.append(function())
            finally:
                connections["default"].close()

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        return result[0]

    def _connect(self) -> None:
        # Connections are per thread: this one replaces the new thread's default connection.
        if self.copy is not None:
            connections["default"] = self.wrapper_class(self.settings_dict, "default")


@pytest.fixture
def concurrently(transactional_db, tmp_path):
    return Concurrently(tmp_path)


@pytest.fixture
def pending_engagement(offered, student):
    """The engagement the accepted offer created: its agreement drafted, nobody signed yet."""
    from practicum.engagements import services

    return services.accept_offer(offered, by=student)


def sign_both(engagement, student, org_person):
    """Both sides sign the draft through the real service; returns the active engagement."""
    from practicum.engagements import agreements
    from practicum.engagements.models import AgreementVersion

    number = engagement.agreement_versions.get(status=AgreementVersion.Status.DRAFT).number
    agreements.sign(
        engagement,
        by=student,
        version_number=number,
        full_name=student.name,
        student_hours_per_week=10,
        student_response_time_hours=24,
    )
    agreements.sign(engagement, by=org_person, version_number=number, full_name=org_person.name)
    engagement.refresh_from_db()
    assert engagement.state == "active"
    return engagement


@pytest.fixture
def active_engagement(pending_engagement, student, mentor):
    """Both signed version 1: the workspace is open (starts in 14 days, 4 weeks, weekly
    check-ins, one deliverable)."""
    return sign_both(pending_engagement, student, mentor)


def local_today(engagement) -> datetime.date:
    """Today for the engagement: in the project's time zone."""
    return timezone.localdate(timezone=engagement.project.zone)


def set_dates(engagement, starts_on: datetime.date, ends_on: datetime.date):
    """Edit the dates of the terms in force (tests move time by moving the dates)."""
    from practicum.engagements.models import AgreementVersion

    version = engagement.agreement_versions.get(status=AgreementVersion.Status.CURRENT)
    version.terms = {
        **version.terms,
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
    }
    version.save(update_fields=["terms"])
    return engagement


def start_today(engagement):
    """An active engagement on its first day (the agreement in force starts today): only
    once its work has begun may it be completed."""
    from practicum.engagements.lifecycle import ends_on

    return set_dates(engagement, local_today(engagement), ends_on(engagement))


@pytest.fixture
def started_engagement(active_engagement):
    """`active_engagement` on its first day (start_today): it may be completed."""
    return start_today(active_engagement)


@pytest.fixture
def staff(student):
    """Career-center staff of the institution the student names (no party: sees no workspace)."""
    from tests.factories import InstitutionStaffFactory

    role = InstitutionStaffFactory()
    profile = student.student_profile
    profile.institution = role.institution
    profile.save()
    return role.user


@pytest.fixture
def other_staff(db):
    """Career-center staff of another institution."""
    from tests.factories import InstitutionStaffFactory

    return InstitutionStaffFactory().user


@pytest.fixture
def superuser(db):
    """A platform admin: every Django permission in the admin, and no party to anything."""
    from practicum.accounts.models import User

    return User.objects.create_superuser("admin@practicum.test", "pw", name="Platform Admin")


@pytest.fixture
def people(
    student, mentor, other_mentor, owner, outsider, other_student, staff, other_staff, superuser
):
    """Everyone a permission matrix asks about, by role; "anonymous" is None."""
    return {
        "student": student,
        "mentor": mentor,
        "other_mentor": other_mentor,
        "owner": owner,
        "outsider": outsider,
        "other_student": other_student,
        "staff": staff,
        "other_staff": other_staff,
        "superuser": superuser,
        "anonymous": None,
    }
