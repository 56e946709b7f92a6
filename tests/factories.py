"""Factories shared by every test module. Objects are built the way the services build them."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from practicum.accounts.models import Institution, InstitutionStaff, Membership, Organization, User
from practicum.engagements.models import Application
from practicum.profiles.models import AvailabilityWindow, StudentProfile, StudentSkill
from practicum.projects.models import Deliverable, Project, ProjectSkill
from practicum.skills.models import Skill, SkillCategory

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    account_type = User.AccountType.STUDENT
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary address, so the user can log in (pass verified=False to skip)."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class StudentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(UserFactory, account_type=User.AccountType.STUDENT)
    headline = "Second-year student"
    weekly_hours = 10


class StudentFactory(UserFactory):
    """A student user with an (empty) profile."""

    account_type = User.AccountType.STUDENT
    profile = factory.RelatedFactory(StudentProfileFactory, factory_related_name="user")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Acme {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, account_type=User.AccountType.ORGANIZATION)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.OWNER


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"University {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class InstitutionStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionStaff

    user = factory.SubFactory(UserFactory, account_type=User.AccountType.CAREER_CENTER)
    institution = factory.SubFactory(InstitutionFactory)


class SkillCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    category = factory.SubFactory(SkillCategoryFactory)
    aliases = factory.List([])
    search_text = factory.LazyAttribute(lambda o: "|".join([o.name.lower(), *o.aliases]))


class StudentSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentSkill

    profile = factory.SubFactory(StudentProfileFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 2


class AvailabilityWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilityWindow

    profile = factory.SubFactory(StudentProfileFactory)
    starts_on = factory.Faker("date_between", start_date="+1d", end_date="+30d")
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=30))


def _in_days(days: int) -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=days)


class ProjectFactory(factory.django.DjangoModelFactory):
    """An open project that passes publishing validation: 4 weeks, 10 h/week, 40 h, €600."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Customer survey analysis {n}")
    summary = "Turn 300 survey answers into three clear recommendations."
    description = "We ran a survey of our users and need help making sense of it."
    objectives = factory.List(["Clean the survey data", "Find the three main themes"])
    learning_outcomes = factory.List(["Survey analysis", "Presenting findings"])
    starts_on = factory.LazyFunction(lambda: _in_days(14))
    ends_on = factory.LazyFunction(lambda: _in_days(41))
    application_deadline = factory.LazyFunction(lambda: _in_days(7))
    estimated_hours = 40
    hours_per_week = 10
    compensation_amount = 60000
    currency = "EUR"
    capacity = 1
    status = Project.Status.OPEN
    published_at = factory.LazyFunction(timezone.now)
    mentor = factory.LazyAttribute(
        lambda o: MembershipFactory(organization=o.organization, role=Membership.Role.MENTOR).user
    )

    @factory.post_generation
    def deliverables(self, create, extracted, **kwargs):
        if create and extracted is None:
            Deliverable.objects.create(
                project=self, position=0, title="Findings report", due_on=self.ends_on
            )


class ProjectSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectSkill

    project = factory.SubFactory(ProjectFactory)
    skill = factory.SubFactory(SkillFactory)
    min_level = 2
    is_required = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    project = factory.SubFactory(ProjectFactory)
    student = factory.SubFactory(StudentFactory)
    pitch = "I analysed survey data for my statistics course and would love to help."
    availability_confirmed = True
    status = Application.Status.SUBMITTED
