"""Factories shared by every test module. Objects are built the way the services build them."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify

from practicum.accounts.models import Institution, InstitutionStaff, Membership, Organization, User
from practicum.profiles.models import AvailabilityWindow, StudentProfile, StudentSkill
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
