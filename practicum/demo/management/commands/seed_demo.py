"""A believable demo world, built through the same services the pages use."""

import datetime
import random
import unicodedata

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from practicum.accounts import services as accounts
from practicum.accounts.models import Institution, Membership, Organization, User
from practicum.careers import services as careers
from practicum.careers.models import AccessLogEntry, InstitutionDomain
from practicum.core.errors import ServiceError
from practicum.demo import workspace as demo_workspace
from practicum.engagements import services as engagements
from practicum.engagements.models import Engagement
from practicum.interviews import services as interviews
from practicum.notifications.kinds import Delivery
from practicum.notifications.models import EmailDelivery, Notification
from practicum.profiles import services as profiles
from practicum.profiles.models import StudentSkill
from practicum.projects import services as projects
from practicum.projects import status as project_status
from practicum.projects.models import Project
from practicum.reviews import schedule as feedback_rounds
from practicum.skills.models import Skill
from practicum.workspace.deliverables import schedule as deadlines

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
# (title, summary, skills (slug, min level, required), hours a week, weeks, euros, capacity)
PROJECTS = {
    "Northwind Analytics": [
        ("Customer churn analysis", "Find out why subscribers of a meal-kit client leave.",
         [("python", 2, True), ("pandas", 2, True), ("statistics", 2, False)], 10, 4, 800, 2),
        ("Sales dashboard in Tableau", "Turn weekly sales exports into one dashboard.",
         [("tableau", 2, True), ("sql", 1, False)], 8, 3, 450, 1),
        ("Demand forecast for a bakery chain", "Forecast daily bread demand for 12 shops.",
         [("python", 3, True), ("statistics", 2, True)], 10, 5, 1000, 1),
        ("Clean a product catalogue", "Deduplicate and standardise 8,000 product rows.",
         [("microsoft-excel", 3, True)], 6, 2, 240, 2),
        ("Survey of store managers", "Design and analyse a 20-question survey.",
         [("survey-design", 2, True), ("data-visualization", 1, False)], 8, 4, 500, 1),
        ("SQL training notebook", "Write exercises that teach our analysts SQL joins.",
         [("sql", 3, True), ("technical-writing", 2, False)], 5, 3, 300, 1),
        ("Price experiment write-up", "Summarise a pricing A/B test for the client board.",
         [("statistics", 2, True), ("copywriting", 1, False)], 6, 2, 260, 1),
        ("Competitor price scraping", "Collect public prices from five competitor sites.",
         [("python", 2, True)], 8, 3, 420, 1),
        ("Data dictionary", "Document every table of our warehouse in plain words.",
         [("sql", 2, True), ("technical-writing", 2, True)], 6, 3, 330, 1),
        ("Loyalty-card segmentation", "Group loyalty members into useful segments.",
         [("python", 2, True), ("machine-learning", 1, False)], 10, 4, 760, 1),
    ],
    "Greenleaf Studio": [
        ("Landing page for a compost start-up", "Design and build a one-page site.",
         [("html", 2, True), ("css", 2, True), ("figma", 1, False)], 10, 3, 600, 1),
        ("Usability test of a recipe app", "Run five usability sessions and report.",
         [("user-research", 2, True), ("user-interviews", 1, False)], 8, 3, 480, 1),
        ("Brand refresh moodboards", "Explore three visual directions for a tea brand.",
         [("graphic-design", 2, True), ("adobe-illustrator", 2, False)], 6, 2, 300, 2),
        ("React component library", "Turn our Figma kit into React components.",
         [("react", 2, True), ("javascript", 2, True), ("css", 2, False)], 12, 4, 1100, 1),
        ("Accessibility audit", "Check a client site against WCAG 2.2 AA.",
         [("html", 2, True)], 6, 2, 280, 1),
        ("Illustrations for a farm newsletter", "Draw six spot illustrations.",
         [("adobe-illustrator", 3, True)], 5, 3, 350, 1),
        ("Clickable prototype for a food-waste app", "Prototype the sign-up flow.",
         [("figma", 2, True), ("prototyping", 2, True)], 8, 3, 450, 1),
        ("Django booking form", "Add a booking form to a client's Django site.",
         [("django", 2, True), ("python", 2, True)], 10, 3, 650, 1),
        ("Case-study write-ups", "Write three portfolio case studies of our work.",
         [("copywriting", 2, True), ("editing", 2, False)], 5, 3, 300, 1),
        ("Social media templates", "Design reusable post templates for a climate NGO.",
         [("graphic-design", 1, True), ("social-media-management", 1, False)], 6, 2, 240, 2),
    ],
    "Harbor Health": [
        ("Literature review on outreach", "Review evidence on port-worker health outreach.",
         [("literature-review", 2, True), ("qualitative-research", 1, False)], 8, 4, 600, 1),
        ("Clinic waiting-time analysis", "Analyse a year of check-in times at three clinics.",
         [("microsoft-excel", 2, True), ("statistics", 2, False)], 8, 3, 420, 1),
        ("Patient leaflet rewrite", "Rewrite four leaflets in plain language.",
         [("editing", 3, True), ("copywriting", 2, False)], 5, 3, 320, 1),
        ("Volunteer survey", "Survey our 300 volunteers about their experience.",
         [("survey-design", 2, True), ("data-collection", 2, False)], 6, 4, 400, 2),
        ("Spanish outreach materials", "Translate and adapt flyers for Spanish speakers.",
         [("spanish", 3, True)], 5, 2, 220, 1),
        ("Budget model for a mobile clinic", "Build a three-year budget model.",
         [("financial-modeling", 2, True), ("microsoft-excel", 3, True)], 8, 3, 520, 1),
        ("Newsletter for donors", "Plan and write two donor newsletters.",
         [("email-marketing", 2, True), ("copywriting", 2, False)], 5, 3, 300, 1),
        ("Interview study with nurses", "Interview ten nurses about night shifts.",
         [("user-interviews", 2, True), ("qualitative-research", 2, True)], 8, 4, 640, 1),
        ("Grant report data pack", "Assemble the figures our funder asks for.",
         [("microsoft-excel", 2, True), ("data-visualization", 1, False)], 6, 2, 260, 1),
        ("Website content inventory", "List and rate every page of our website.",
         [("content-marketing", 1, True)], 5, 2, 200, 1),
    ],
}  # fmt: skip

# The application at position i of a project ends in this status (when the rules allow it).
APPLICATION_FATES = ("submitted", "shortlisted", "offered", "rejected", "withdrawn", "declined")

TIMEZONES = ["Europe/Lisbon", "Europe/Amsterdam", "Europe/Stockholm", "Europe/London",
             "America/New_York", "Asia/Kolkata"]  # fmt: skip


def demo_users():
    users = User.objects.none()
    for domain in DEMO_DOMAINS:
        users |= User.objects.filter(email__iendswith="@" + domain)
    return users


# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae"})


def demo_email(name: str) -> str:
    """Chloé Martin → chloe.martin@students.example: accented letters become their base letter
    (NFKD splits "é" into "e" and a combining accent, which the ASCII encoding then drops)."""
    local = ".".join(part.lower() for part in name.replace("'", "").split())
    local = unicodedata.normalize("NFKD", local.translate(_UNDECOMPOSED))
    return f"{local.encode('ascii', 'ignore').decode()}@students.example"


class Command(BaseCommand):
    help = (
        "Create demo organizations, an institution, 25 students, projects, applications and "
        "engagements in every state (one under way, finished ones with reviews and payments)."
    )

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
        # Every demo account has the same public password: hashing it once, instead of once per
        # account with a hasher made to be slow, saves most of the seeding time.
        password_hash = make_password(PASSWORD)
        # Demo mentors accept their invitations at once; nobody needs those emails.
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ),
            transaction.atomic(),
        ):
            if force:
                self.remove_demo()
            self.seed(random.Random(2026))
            demo_users().update(password=password_hash)
            self.silence_demo_mail()
            # The stored reciprocity index, computed once for every engagement now rather than
            # on the first visit of each page.
            call_command("recompute_reciprocity", stdout=self.stdout)
            # The story clock moved stamps with queryset updates, which no signal sees: the
            # stored round windows and deadlines are read again from what was written.
            deadlines.rebuild()
            feedback_rounds.rebuild()
        self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.print_logins()

    def silence_demo_mail(self):
        """The demo's history was written in a second: its notifications stay in the app, but
        the task worker must not email them afterwards, nor tomorrow's digest repeat them."""
        users = demo_users()
        EmailDelivery.objects.filter(
            recipient__in=users, status=EmailDelivery.Status.PENDING
        ).delete()
        Notification.objects.filter(recipient__in=users, email__isnull=True).exclude(
            delivery=Delivery.IN_APP
        ).update(delivery=Delivery.IN_APP)

    def remove_demo(self):
        organizations = Organization.objects.filter(name__in=[o["name"] for o in ORGANIZATIONS])
        # Engagements protect their history from deletion; a demo reset is the one exception.
        # Their workspace, reviews, completion, payments and credentials go with them (all
        # cascade).
        Engagement.objects.filter(project__organization__in=organizations).delete()
        organizations.delete()
        Institution.objects.filter(slug="riverside-university").delete()
        demo_users().delete()

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
        # Engagements under way, finished and cancelled, before the postings below take the
        # students' hours.
        demo_workspace.build(skills)
        self.seed_career_center(riverside, carla)
        students = list(User.objects.filter(email__endswith="@students.example").order_by("pk"))
        held = {student.pk: set() for student in students}
        for user_id, skill_id in StudentSkill.objects.values_list("profile__user_id", "skill_id"):
            held[user_id].add(skill_id)
        for organization_name, specs in PROJECTS.items():
            organization = Organization.objects.get(name=organization_name)
            for n, spec in enumerate(specs):
                self.seed_project(rng, organization, n, spec, skills, students, held)

    def seed_project(self, rng, organization, n, spec, skills, students, held):
        """Projects in every state, with applications in every state."""
        title, summary, wanted, per_week, weeks, euros, capacity = spec
        owner = organization.memberships.get(role=Membership.Role.OWNER).user
        mentor = organization.memberships.filter(role=Membership.Role.MENTOR).first().user
        today = timezone.localdate()
        starts = today + datetime.timedelta(days=rng.randint(14, 35))
        ends = starts + datetime.timedelta(days=weeks * 7 - 1)
        data = {
            "title": title,
            "summary": summary,
            "description": f"{summary}\n\nYou will work with {mentor.name}, who answers "
            "questions within a day and meets you every week.",
            "objectives": [summary.rstrip("."), "Share what you find with the team"],
            "learning_outcomes": ["Working on a real brief with a deadline", title.split()[0]],
            "screening_questions": ["When during the week do you usually work?"]
            if n % 3 == 0
            else [],
            "starts_on": starts,
            "ends_on": ends,
            "application_deadline": starts - datetime.timedelta(days=rng.randint(3, 7)),
            "estimated_hours": per_week * weeks,
            "hours_per_week": per_week,
            "compensation_amount": euros * 100,
            "currency": "EUR",
            "capacity": capacity,
            "mentor": mentor.pk,
            "deliverables": [
                {"title": "Work plan", "description": "How you will approach it.",
                 "due_on": starts + datetime.timedelta(days=4)},
                {"title": "Final result", "description": "The finished work and a short "
                 "handover note.", "due_on": ends},
            ],
            "skills": [
                {"skill": skills[slug], "min_level": level, "is_required": required}
                for slug, level, required in wanted
            ],
        }  # fmt: skip
        project = projects.create_project(organization, by=owner, data=data)
        fate = ("draft", "closed", "full", "archived")[n] if n < 4 else "open"
        if fate == "draft":
            return
        project = project_status.change(project, "publish", by=owner)
        # Mostly students who hold some of the skills asked, as in real life, plus a wildcard.
        wanted_ids = {skills[slug] for slug, _, _ in wanted}
        fitting = [s for s in students if wanted_ids & held[s.pk]]
        others = [s for s in students if s not in fitting]
        applicants = rng.sample(fitting, k=min(len(fitting), rng.randint(2, 5)))
        applicants += rng.sample(others, k=1)
        for i, student in enumerate(applicants):
            application = engagements.apply_to_project(
                project,
                by=student,
                pitch=f"I'm {student.name.split()[0]} and this fits what I want to learn.",
                availability_confirmed=True,
                answers=["Mostly weekday evenings."] * len(data["screening_questions"]),
            )
            wanted_status = "accepted" if fate == "full" else APPLICATION_FATES[i]
            self.move_application(application, wanted_status, owner)
        project.refresh_from_db()
        if fate == "closed" and project.status == Project.Status.OPEN:
            project_status.change(project, "close", by=owner)
        elif fate == "archived":
            project_status.change(project, "archive", by=owner)

    def invite_to_interview(self, application, owner):
        """A shortlisted applicant is invited to an interview: a video call or a visit, both
        next week at 10:00 UTC, for the student to pick from."""
        next_week = (timezone.now() + datetime.timedelta(days=7)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        interviews.propose(
            application,
            by=owner,
            slots=[
                {
                    "starts_at": next_week,
                    "duration_minutes": 30,
                    "video_url": "https://meet.example.org/practicum-demo",
                },
                {
                    "starts_at": next_week + datetime.timedelta(days=1),
                    "duration_minutes": 45,
                    "place": f"{application.project.organization.name}, reception",
                },
            ],
        )

    def move_application(self, application, status, owner):
        if status == "submitted":
            return
        student = application.student
        try:
            if status == "shortlisted":
                engagements.shortlist(application, by=owner)
                self.invite_to_interview(application, owner)
            elif status == "rejected":
                engagements.reject(
                    application,
                    by=owner,
                    message="Thank you for applying. We chose a student whose dates fit ours.",
                )
            elif status == "withdrawn":
                engagements.withdraw(application, by=student)
            else:
                engagements.make_offer(application, by=owner, message="We'd love to work with you.")
                if status == "declined":
                    engagements.decline_offer(application, by=student)
                elif status == "accepted":
                    engagements.accept_offer(application, by=student)
        except ServiceError:
            # A full project or a schedule clash stops here, as it would for real users.
            pass

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

    def seed_career_center(self, institution, staff):
        """Two Riverside students with engagements verified (one by the emailed link, one by
        Carla) who share their outcomes, and another student's request waiting for Carla.
        Carla has looked at one record, so that student's access log has an entry."""
        InstitutionDomain.objects.create(institution=institution, domain="students.example")
        at_riverside = User.objects.filter(student_profile__institution=institution)
        sharing = list(at_riverside.filter(engagements__isnull=False).distinct().order_by("pk")[:2])
        by_link, approved = sharing
        enrollment = careers.request_enrollment(
            by_link, institution=institution, email=by_link.email
        )
        careers.confirm_enrollment(careers.confirmation_token(enrollment), by=by_link)
        careers.approve_enrollment(
            careers.request_enrollment(approved, institution=institution), by=staff
        )
        for student in sharing:
            careers.give_consent(student, institution=institution)
        waiting = at_riverside.exclude(pk__in=[s.pk for s in sharing]).order_by("pk").first()
        careers.request_enrollment(waiting, institution=institution)
        careers.open_record(by_link.pk, by=staff, what=AccessLogEntry.What.RECORD_PAGE)

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
                portfolio_links=[
                    {
                        "label": "Portfolio",
                        "url": f"https://portfolio.example/{demo_email(name).split('@')[0]}",
                    }
                ],
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
            "  career center      carla@riverside.example (two students share outcomes)\n"
            f"  students           {demo_email(STUDENT_NAMES[0])} … "
            f"{demo_email(STUDENT_NAMES[-1])} (25 in all)\n"
            "  Ana Silva's engagement with Northwind is three weeks in (Mateo mentors it);\n"
            "  Northwind has finished engagements with reviews, payments and a talent list.\n"
        )
