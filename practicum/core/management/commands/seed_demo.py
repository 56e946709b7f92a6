"""A believable demo world, built through the same services the pages use."""

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from practicum.accounts import services as accounts
from practicum.accounts.models import Institution, Organization, User
from practicum.profiles import services as profiles
from practicum.skills.models import Skill

PASSWORD = "practicum-demo"
DEMO_DOMAINS = (
    "practicum.example",
    "northwind.example",
    "greenleaf.example",
    "harborhealth.example",
    "riverside.example",
    "students.example",
)

ORGANIZATIONS = [
    {
        "name": "Northwind Analytics",
        "owner": ("Nora Lindqvist", "nora@northwind.example"),
        "mentors": [("Mateo Rossi", "mateo@northwind.example")],
        "profile": {
            "about": "We help mid-sized retailers **make sense of their data**: demand forecasts, "
            "pricing experiments and dashboards people actually read.\n\nStudents work with a "
            "senior analyst on real client questions.",
            "website": "https://northwind.example",
            "size": "11-50",
            "industry": "Data consultancy",
            "location": "Stockholm, Sweden (remote-friendly)",
        },
        "verified": True,
    },
    {
        "name": "Greenleaf Studio",
        "owner": ("Gwen Adeyemi", "gwen@greenleaf.example"),
        "mentors": [("Theo Park", "theo@greenleaf.example")],
        "profile": {
            "about": "A design and web studio for climate and food start-ups. We build brands, "
            "websites and small apps, and we like working with students who care about craft.",
            "website": "https://greenleaf.example",
            "size": "1-10",
            "industry": "Design & web",
            "location": "Lisbon, Portugal",
        },
        "verified": True,
    },
    {
        "name": "Harbor Health",
        "owner": ("Hana Kobayashi", "hana@harborhealth.example"),
        "mentors": [("Samir Haddad", "samir@harborhealth.example")],
        "profile": {
            "about": "A community health nonprofit running clinics and outreach in three port "
            "cities. Projects cover research, communication and operations.",
            "website": "https://harborhealth.example",
            "size": "51-250",
            "industry": "Nonprofit · Health",
            "location": "Rotterdam, Netherlands",
        },
        "verified": False,
    },
]

# Each archetype is a kind of student we see often: skills (slug, usual level), interests, goals.
ARCHETYPES = [
    {
        "programme": "BSc Data Science",
        "headline": "Data science student who likes messy spreadsheets",
        "skills": [
            ("python", 3),
            ("sql", 2),
            ("pandas", 3),
            ("statistics", 2),
            ("data-visualization", 2),
            ("microsoft-excel", 3),
            ("tableau", 1),
        ],
        "interests": ["data", "retail", "sports analytics"],
        "goals": ["Work on a real client dataset", "Present findings to non-experts"],
    },
    {
        "programme": "BSc Computer Science",
        "headline": "Web developer in the making",
        "skills": [
            ("javascript", 3),
            ("html", 3),
            ("css", 3),
            ("react", 2),
            ("django", 2),
            ("git", 3),
            ("typescript", 1),
            ("python", 2),
        ],
        "interests": ["web apps", "accessibility", "open source"],
        "goals": ["Ship a feature to production", "Get a code review from a senior developer"],
    },
    {
        "programme": "BA Interaction Design",
        "headline": "Designer who starts with interviews, not pixels",
        "skills": [
            ("figma", 3),
            ("user-experience-design", 2),
            ("user-research", 2),
            ("prototyping", 3),
            ("graphic-design", 2),
            ("adobe-illustrator", 2),
        ],
        "interests": ["UX", "climate", "branding"],
        "goals": ["Run usability tests with real users", "Build a portfolio case study"],
    },
    {
        "programme": "BBA Marketing",
        "headline": "Marketing student with a soft spot for newsletters",
        "skills": [
            ("content-marketing", 2),
            ("search-engine-optimization", 2),
            ("social-media-management", 3),
            ("copywriting", 2),
            ("email-marketing", 2),
            ("google-analytics", 1),
        ],
        "interests": ["marketing", "food", "social media"],
        "goals": ["Plan and measure a campaign", "Learn SEO on a real site"],
    },
    {
        "programme": "BA English and Journalism",
        "headline": "Writer and editor, clear over clever",
        "skills": [
            ("copywriting", 3),
            ("editing", 3),
            ("proofreading", 3),
            ("technical-writing", 2),
            ("public-speaking", 2),
        ],
        "interests": ["writing", "health communication", "podcasts"],
        "goals": ["Write for a real audience", "Get edited by a professional"],
    },
    {
        "programme": "BSc Accounting and Finance",
        "headline": "Finance student who builds tidy models",
        "skills": [
            ("financial-modeling", 2),
            ("microsoft-excel", 4),
            ("bookkeeping", 2),
            ("budgeting", 2),
            ("financial-analysis", 2),
            ("quickbooks", 1),
        ],
        "interests": ["finance", "nonprofits", "start-ups"],
        "goals": ["Build a budget model used for decisions", "Understand start-up finance"],
    },
    {
        "programme": "MSc Public Health",
        "headline": "Public-health researcher, mixed methods",
        "skills": [
            ("literature-review", 3),
            ("survey-design", 2),
            ("qualitative-research", 2),
            ("user-interviews", 2),
            ("data-collection", 3),
            ("r-language", 2),
            ("statistics", 2),
        ],
        "interests": ["public health", "research", "community"],
        "goals": ["Design a survey end to end", "Co-author a short report"],
    },
    {
        "programme": "BSc Business Administration",
        "headline": "Organised, curious about products",
        "skills": [
            ("project-management", 2),
            ("agile", 2),
            ("scrum", 1),
            ("product-management", 1),
            ("product-roadmapping", 1),
            ("stakeholder-management", 2),
            ("market-research", 2),
        ],
        "interests": ["product", "operations", "start-ups"],
        "goals": ["Run a small project from brief to delivery", "Learn how product teams decide"],
    },
]
LANGUAGES = [("spanish", 3), ("french", 2), ("german", 2), ("mandarin-chinese", 2)]

STUDENT_NAMES = [
    "Ana Silva", "Ben Okafor", "Chloé Martin", "Dmitri Volkov", "Elif Yılmaz", "Farah Haddad",
    "Gabriel Costa", "Hiro Tanaka", "Isla Murphy", "Jonas Weber", "Kavya Reddy", "Liam O'Brien",
    "Maya Cohen", "Nikhil Mehta", "Olivia Brown", "Pedro Alves", "Quinn Taylor", "Rosa Jiménez",
    "Sven Andersson", "Tara Nwosu", "Umar Farouk", "Valentina Russo", "Wen Li", "Yara Haddad",
    "Zoe Laurent",
]  # fmt: skip
TIMEZONES = ["Europe/Lisbon", "Europe/Amsterdam", "Europe/Stockholm", "Europe/London",
             "America/New_York", "Asia/Kolkata"]  # fmt: skip


def demo_email(name: str) -> str:
    local = ".".join(part.lower() for part in name.replace("'", "").split())
    return f"{local}@students.example".encode("ascii", "ignore").decode()


class Command(BaseCommand):
    help = "Create demo organizations, an institution and 25 students (only on an empty database)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Remove the demo accounts and organizations first, then seed again.",
        )

    def handle(self, *args, force=False, **options):
        if User.objects.exists() and not force:
            self.stdout.write("The database has accounts already: no demo data added.")
            self.print_logins()
            return
        if not Skill.objects.exists():
            self.stderr.write("Load the skill taxonomy first: manage.py load_skills")
            return
        # Demo mentors accept their invitations at once; nobody needs those emails.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            if force:
                self.remove_demo()
            self.seed(random.Random(2026))
        self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.print_logins()

    def remove_demo(self):
        demo_users = User.objects.none()
        for domain in DEMO_DOMAINS:
            demo_users |= User.objects.filter(email__iendswith="@" + domain)
        Organization.objects.filter(name__in=[o["name"] for o in ORGANIZATIONS]).delete()
        Institution.objects.filter(slug="riverside-university").delete()
        demo_users.delete()

    def seed(self, rng: random.Random):
        accounts.create_account(
            email="admin@practicum.example",
            name="Pat Admin",
            password=PASSWORD,
            account_type=User.AccountType.ADMIN,
            is_staff=True,
            is_superuser=True,
        )
        for spec in ORGANIZATIONS:
            self.seed_organization(spec)

        riverside = Institution.objects.create(
            name="Riverside University",
            slug="riverside-university",
            website="https://riverside.example",
            country="United Kingdom",
        )
        carla = accounts.create_account(
            email="carla@riverside.example",
            name="Carla Mendes",
            password=PASSWORD,
            account_type=User.AccountType.CAREER_CENTER,
        )
        accounts.add_institution_staff(carla, riverside)

        skills = {s.slug: s.pk for s in Skill.objects.all()}
        for i, name in enumerate(STUDENT_NAMES):
            self.seed_student(rng, i, name, skills, riverside)

    def seed_organization(self, spec):
        owner_name, owner_email = spec["owner"]
        owner = accounts.create_account(
            email=owner_email,
            name=owner_name,
            password=PASSWORD,
            account_type=User.AccountType.ORGANIZATION,
        )
        accounts.complete_signup(
            owner, account_type=User.AccountType.ORGANIZATION, organization_name=spec["name"]
        )
        organization = owner.memberships.get().organization
        accounts.update_organization(organization, by=owner, **spec["profile"])
        if spec["verified"]:
            # The verified badge is a platform admin's decision; the demo admin made it.
            Organization.objects.filter(pk=organization.pk).update(is_verified=True)
        for mentor_name, mentor_email in spec["mentors"]:
            _, token = accounts.create_invitation(
                by=owner, email=mentor_email, organization=organization
            )
            accounts.sign_up_by_invitation(token, name=mentor_name, password=PASSWORD)

    def seed_student(self, rng, i, name, skills, institution):
        archetype = ARCHETYPES[i % len(ARCHETYPES)]
        user = accounts.create_account(
            email=demo_email(name),
            name=name,
            password=PASSWORD,
            account_type=User.AccountType.STUDENT,
        )
        accounts.complete_signup(user, account_type=User.AccountType.STUDENT)
        held = rng.sample(archetype["skills"], k=min(len(archetype["skills"]), rng.randint(4, 7)))
        levels = [(slug, max(1, min(4, level + rng.choice((-1, 0, 0, 1))))) for slug, level in held]
        if rng.random() < 0.5:
            levels.append(rng.choice(LANGUAGES))
        today = timezone.localdate()
        start = today + datetime.timedelta(days=rng.randint(0, 20))
        windows = [(start, start + datetime.timedelta(days=rng.choice((28, 42, 60, 90))))]
        if rng.random() < 0.4:
            later = windows[0][1] + datetime.timedelta(days=rng.randint(14, 40))
            windows.append((later, later + datetime.timedelta(days=30)))
        at_riverside = i % 3 == 0
        profiles.update_profile(
            user.student_profile,
            by=user,
            data=profiles.ProfileData(
                headline=archetype["headline"],
                about=f"I'm {name.split()[0]}, studying {archetype['programme']}. "
                f"I'm looking for short projects where I can {archetype['goals'][0].lower()}.",
                institution=institution.pk if at_riverside else None,
                institution_name=""
                if at_riverside
                else rng.choice(
                    ["Universidade de Lisboa", "TU Delft", "University of Leeds", "KTH"]
                ),
                programme=archetype["programme"],
                graduation_year=today.year + rng.randint(0, 3),
                timezone=rng.choice(TIMEZONES),
                weekly_hours=rng.choice((5, 8, 10, 12, 15, 20)),
                interests=archetype["interests"],
                learning_goals=archetype["goals"],
                portfolio_links=[f"https://portfolio.example/{demo_email(name).split('@')[0]}"],
                open_to_future_roles=rng.random() < 0.7,
                discoverable=rng.random() < 0.8,
                skills=[(skills[slug], level) for slug, level in levels],
                availability=windows,
            ),
        )

    def print_logins(self):
        self.stdout.write(
            f"\nDemo logins (password: {PASSWORD})\n"
            "  platform admin     admin@practicum.example   (/admin/)\n"
            "  organization owner nora@northwind.example, gwen@greenleaf.example, "
            "hana@harborhealth.example\n"
            "  mentor             mateo@northwind.example, theo@greenleaf.example, "
            "samir@harborhealth.example\n"
            "  career center      carla@riverside.example\n"
            f"  students           {demo_email(STUDENT_NAMES[0])} … "
            f"{demo_email(STUDENT_NAMES[-1])} (25 in all)\n"
        )
