"""The lived-in part of the demo: engagements that started weeks ago, finished months ago, or
were called off, played through the same services the pages use.

Services act "now", and refuse dates in the past (a project cannot be posted to start three
weeks ago). Two demo-only devices let them tell a story that already happened:

- `Clock.at(moment)`: run a step of the story, then move the timestamps it wrote ("created at",
  the event log's "at", "answered at"…) back to `moment`, keeping their order. Where a service
  takes `now=`, it is given the same moment, so its checks (too early to record a check-in,
  the feedback window open) see the story's time.
- `move_dates(engagement, days)`: a project is posted with dates in the future, as the service
  requires; once the agreement is signed, the project's dates and those of the agreement's
  versions move back into the past and the check-ins are scheduled again from them.

Neither is something the product does; they only exist so that a person trying the demo meets
check-ins held, feedback revealed and payments made, with believable times.
"""

import datetime
import zoneinfo
from contextlib import contextmanager

from django.db import connection
from django.db.models import F
from django.utils import timezone

from practicum.accounts.models import Membership, Organization, User
from practicum.completion import services as completion
from practicum.completion.models import Completion, Payment
from practicum.engagements import agreements
from practicum.engagements import services as engagements
from practicum.engagements.models import (
    AgreementVersion,
    Application,
    Engagement,
    EngagementEvent,
    Signature,
)
from practicum.notifications import services as notifications
from practicum.notifications.models import Notification
from practicum.projects import services as projects
from practicum.projects import status as project_status
from practicum.projects.models import Deliverable, Project
from practicum.reviews import services as reviews
from practicum.reviews.models import Review, VerifiedSkill
from practicum.talent import services as talent
from practicum.talent.models import TalentEntry
from practicum.workspace.checkins import services as checkins
from practicum.workspace.checkins.models import AgendaItem, CheckIn
from practicum.workspace.deliverables import services as deliverables
from practicum.workspace.deliverables.models import Submission
from practicum.workspace.learning import services as learning
from practicum.workspace.learning.models import LearningItem, PractisedSkill
from practicum.workspace.messaging import services as messaging
from practicum.workspace.messaging.models import Message, ReadMarker
from practicum.workspace.progress import services as progress
from practicum.workspace.progress.models import ProgressComment, ProgressUpdate

DAY = datetime.timedelta(days=1)
OFFER_DAYS = 5

# The timestamps services write from the clock: the rows a story step creates or changes.
STAMPS = {
    Project: ("created_at", "updated_at", "published_at", "closed_at"),
    Application: ("created_at", "status_changed_at", "offered_at"),
    Engagement: ("created_at", "state_changed_at"),
    EngagementEvent: ("at",),
    AgreementVersion: ("created_at",),
    Signature: ("signed_at",),
    CheckIn: ("created_at", "notes_edited_at", "outcome_recorded_at"),
    AgendaItem: ("created_at",),
    Submission: ("submitted_at", "reviewed_at"),
    Message: ("created_at", "answered_at"),
    ReadMarker: ("updated_at",),
    ProgressUpdate: ("created_at",),
    ProgressComment: ("created_at",),
    LearningItem: ("created_at", "updated_at"),
    PractisedSkill: ("recorded_at",),
    Review: ("submitted_at", "updated_at", "revealed_at"),
    VerifiedSkill: ("verified_at",),
    Completion: ("completed_at",),
    Payment: ("recorded_at", "answered_at"),
    TalentEntry: ("added_at", "updated_at"),
    Notification: ("created_at",),
}


class Clock:
    """Runs story steps "as of" past moments (see the module's docstring)."""

    @contextmanager
    def at(self, moment: datetime.datetime):
        started = timezone.now()
        if moment >= started:
            raise ValueError(f"A story step must lie in the past, not at {moment}.")
        written: set[str] = set()

        def note_tables(execute, sql, params, many, context):
            # Django quotes the table it writes: INSERT INTO "app_model" / UPDATE "app_model".
            if sql.startswith(("INSERT", "UPDATE")):
                written.add(sql.split('"')[1])
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note_tables):
            yield moment
        # Everything stamped since `started` was written by this step: the seed runs alone, in
        # one transaction, and earlier steps' stamps were already moved before `started`. Only
        # the tables the step wrote are looked at, which keeps the seed quick.
        back = moment - started
        for model, fields in STAMPS.items():
            if model._meta.db_table not in written:
                continue
            for name in fields:
                model.objects.filter(**{f"{name}__gte": started}).update(**{name: F(name) + back})


def _shift_day(value, days: int):
    if not value:
        return value
    return (datetime.date.fromisoformat(value) - datetime.timedelta(days=days)).isoformat()


def move_dates(engagement: Engagement, days: int) -> dict:
    """Move the project's dates and those of every agreement version `days` back; the terms in
    force afterwards. Demo set-up only: signed terms never change in the product."""
    project = Project.objects.get(pk=engagement.project_id)
    back = datetime.timedelta(days=days)
    Project.objects.filter(pk=project.pk).update(
        starts_on=project.starts_on - back,
        ends_on=project.ends_on - back,
        application_deadline=project.application_deadline - back,
    )
    for deliverable in Deliverable.objects.filter(project=project):
        Deliverable.objects.filter(pk=deliverable.pk).update(due_on=deliverable.due_on - back)
    current = None
    for version in AgreementVersion.objects.filter(engagement=engagement):
        terms = dict(version.terms)
        terms["starts_on"] = _shift_day(terms.get("starts_on"), days)
        terms["ends_on"] = _shift_day(terms.get("ends_on"), days)
        terms["deliverables"] = [
            {**d, "due_on": _shift_day(d.get("due_on"), days)} for d in terms["deliverables"]
        ]
        AgreementVersion.objects.filter(pk=version.pk).update(terms=terms)
        if version.status == AgreementVersion.Status.CURRENT:
            current = terms
    return current


class Story:
    """One engagement's story, on the calendar of its project: day 0 is the first day of work,
    times are the organization's wall-clock times."""

    def __init__(self, clock: Clock, *, tzname: str, starts_on: datetime.date):
        self.clock = clock
        self.zone = zoneinfo.ZoneInfo(tzname)
        self.tzname = tzname
        self.starts_on = starts_on
        self.engagement: Engagement | None = None

    def time(self, day: int, hhmm: str = "10:00") -> datetime.datetime:
        local = datetime.datetime.combine(
            self.starts_on + datetime.timedelta(days=day),
            datetime.time.fromisoformat(hhmm),
            tzinfo=self.zone,
        )
        return local.astimezone(datetime.UTC)

    def at(self, day: int, hhmm: str = "10:00"):
        return self.clock.at(self.time(day, hhmm))

    def fresh(self) -> Engagement:
        self.engagement = Engagement.objects.select_related("project", "student", "mentor").get(
            pk=self.engagement.pk
        )
        return self.engagement

    # --- From the posting to the signed agreement -----------------------------------------------

    def engage(self, *, organization, owner, mentor, student, spec: dict, skills: dict) -> None:
        """Post the project, take the student through application and offer, and have both
        sides sign; the engagement then runs from `starts_on` with its check-ins scheduled."""
        weeks = spec["weeks"]
        ends = weeks * 7 - 1  # the last day, counted from day 0
        today = timezone.localdate(timezone=self.zone)
        # Posted with future dates (a multiple of weeks later, so weekdays stay), moved back
        # once signed.
        shift = max(0, ((today - self.starts_on).days // 7 + 3) * 7)
        starts = self.starts_on + datetime.timedelta(days=shift)
        data = {
            "title": spec["title"],
            "summary": spec["summary"],
            "description": spec["description"],
            "objectives": spec["objectives"],
            "learning_outcomes": spec["learning_outcomes"],
            "starts_on": starts,
            "ends_on": starts + datetime.timedelta(days=ends),
            "application_deadline": starts - datetime.timedelta(days=4),
            "estimated_hours": spec["hours_per_week"] * weeks,
            "hours_per_week": spec["hours_per_week"],
            "compensation_amount": spec["euros"] * 100,
            "currency": "EUR",
            "capacity": 1,
            "timezone": self.tzname,
            "mentor": mentor.pk,
            "checkin_weekday": self.checkin_day(),
            "checkin_time": datetime.time(10, 0),
            "response_time_hours": 24,
            "deliverables": [
                {
                    "title": title,
                    "description": description,
                    "due_on": starts + datetime.timedelta(days=min(due, ends)),
                }
                for title, description, due in spec["deliverables"]
            ],
            "skills": [
                {"skill": skills[slug], "min_level": level, "is_required": required}
                for slug, level, required in spec["skills"]
            ],
        }
        with self.at(-spec.get("posted", 24), "09:30"):
            project = projects.create_project(organization, by=owner, data=data)
            project = project_status.change(project, "publish", by=owner)
        with self.at(-spec.get("applied", 19), "20:10"):
            application = engagements.apply_to_project(
                project, by=student, pitch=spec["pitch"], availability_confirmed=True
            )
        with self.at(-14, "11:00"):
            engagements.shortlist(application, by=owner)
        with self.at(-12, "15:20"):
            engagements.make_offer(application, by=owner, message=spec["offer"])
        with self.at(-11, "08:45"):
            self.engagement = engagements.accept_offer(application, by=student)
        # The offer's expiry was counted from the real clock so that accepting it worked.
        Application.objects.filter(pk=application.pk).update(
            offer_expires_at=F("offered_at") + datetime.timedelta(days=OFFER_DAYS)
        )
        draft = self.engagement.agreement_versions.get(status=AgreementVersion.Status.DRAFT)
        with self.at(-10, "19:30"):
            agreements.sign(
                self.engagement,
                by=student,
                version_number=draft.number,
                full_name=student.name,
                student_hours_per_week=spec["hours_per_week"],
                student_response_time_hours=24,
            )
        # Read again: a student committing to other hours than the draft's writes a new draft.
        draft = self.engagement.agreement_versions.get(status=AgreementVersion.Status.DRAFT)
        activated = self.time(-9, "09:05")
        with self.clock.at(activated):
            agreements.sign(
                self.engagement, by=mentor, version_number=draft.number, full_name=mentor.name
            )
            terms = move_dates(self.engagement, shift)
            checkins.schedule(self.fresh(), terms, now=activated)

    def checkin_day(self) -> int:
        """The weekday of the check-ins: the first working day after the start."""
        day = self.starts_on + DAY
        while day.weekday() > 4:
            day += DAY
        return day.weekday()

    def checkin_list(self) -> list[CheckIn]:
        return list(CheckIn.objects.filter(engagement=self.engagement).order_by("originally_at"))

    def day_of(self, moment: datetime.datetime) -> int:
        return (moment.astimezone(self.zone).date() - self.starts_on).days

    # --- Workspace steps ---------------------------------------------------------------------

    def post(self, day, hhmm, by, body, *, question=False) -> Message:
        with self.at(day, hhmm):
            return messaging.post_message(self.engagement, by=by, body=body, is_question=question)

    def answered(self, day, hhmm, message, by) -> None:
        with self.at(day, hhmm):
            messaging.mark_answered(message, by=by)

    def held(self, checkin, by, *, notes="", agenda=(), late_minutes=40) -> None:
        """Agenda points added the day before, notes and the outcome after the meeting."""
        day = self.day_of(checkin.scheduled_at)
        for author, text in agenda:
            with self.at(day - 1, "16:00"):
                checkins.add_agenda_item(checkin, by=author, text=text)
        after = checkin.scheduled_at + datetime.timedelta(minutes=late_minutes)
        with self.clock.at(after) as now:
            if notes:
                checkins.update_notes(checkin, by=by, notes=notes, now=now)
            checkins.record_outcome(checkin, by=by, outcome="held", now=now)

    def missed(self, checkin, by, missed_by: str) -> None:
        with self.clock.at(checkin.scheduled_at + datetime.timedelta(hours=2)) as now:
            checkins.record_outcome(checkin, by=by, outcome="missed", missed_by=missed_by, now=now)

    def update(self, day, by, hours, done, *, blockers="", next_steps="") -> ProgressUpdate:
        with self.at(day, "18:15"):
            return progress.post_update(
                self.engagement,
                by=by,
                done=done,
                hours=hours,
                blockers=blockers,
                next_steps=next_steps,
            )

    def comment(self, day, hhmm, update, by, body) -> None:
        with self.at(day, hhmm):
            progress.comment_on_update(update, by=by, body=body)

    def submit(self, day, hhmm, key, by, *, note, link) -> Submission:
        with self.at(day, hhmm):
            return deliverables.submit(self.engagement, key, by=by, note=note, link=link)

    def accept(self, day, hhmm, submission, by, feedback="") -> None:
        with self.at(day, hhmm):
            deliverables.accept(submission, by=by, feedback=feedback)

    def request_changes(self, day, hhmm, submission, by, feedback) -> None:
        with self.at(day, hhmm):
            deliverables.request_changes(submission, by=by, feedback=feedback)

    def practised(self, day, by, skill_id, note) -> None:
        with self.at(day, "17:00"):
            learning.record_practised_skill(self.engagement, by=by, skill_id=skill_id, note=note)

    def review(self, day, hhmm, round, by, **answers) -> None:
        with self.at(day, hhmm) as now:
            reviews.submit_review(self.fresh(), round, by=by, now=now, **answers)


# --- The people and the projects of the stories ------------------------------------------------

NORTHWIND = "Northwind Analytics"
GREENLEAF = "Greenleaf Studio"
STOCKHOLM = "Europe/Stockholm"

MIDPOINT_BY_ORGANIZATION = {
    "scores": {"quality": 4, "communication": 4, "reliability": 4, "initiative": 3, "growth": 4},
    "strengths": "A clear plan and steady weekly updates.",
    "to_improve": "Show unfinished work sooner; we are happy to comment on drafts.",
}
MIDPOINT_BY_STUDENT = {
    "scores": {
        "clarity": 4,
        "mentorship": 4,
        "responsiveness": 5,
        "learning": 4,
        "time_respect": 4,
    },
    "recommend": True,
    "strengths": "Quick answers and a clear brief.",
    "to_improve": "More examples of what a good result looks like.",
}
STUDENT_REVIEW = {
    "scores": {
        "clarity": 4,
        "mentorship": 5,
        "responsiveness": 4,
        "learning": 5,
        "time_respect": 4,
    },
    "recommend": True,
}


def _organization(name: str):
    organization = Organization.objects.get(name=name)
    owner = organization.memberships.get(role=Membership.Role.OWNER).user
    mentor = organization.memberships.filter(role=Membership.Role.MENTOR).first().user
    return organization, owner, mentor


def _student(email: str) -> User:
    return User.objects.select_related("student_profile").get(email=email)


# Engagements Northwind finished, oldest first: who, when (days before today the work began),
# the project, how the payment went, the skills endorsed (slug, level) and the reviews' words.
# A project's deliverables are (title, description, due day counted from day 0); a day past the
# end means the last day.
FINISHED = [
    {
        "student": "ana.silva@students.example",
        "began": 120,
        "payment": "confirmed",
        "project": {
            "title": "Weekly KPI report in pandas",
            "summary": "Replace a hand-made Excel KPI report with a pandas script.",
            "description": "Our account managers spend Monday mornings copying numbers into a "
            "KPI workbook. Write a **pandas** script that builds the same report from the raw "
            "exports, and document it so an analyst can run it.",
            "objectives": ["Rebuild the weekly KPI report in pandas", "Document how to run it"],
            "learning_outcomes": ["pandas on real exports", "Writing for analysts"],
            "skills": [("python", 2, True), ("pandas", 2, True)],
            "weeks": 3,
            "hours_per_week": 8,
            "euros": 360,
            "deliverables": [
                ("Work plan", "Which KPIs, which exports, how you will check the numbers.", 4),
                ("Script and how-to", "The script, its README and a sample report.", 99),
            ],
            "pitch": "I clean exports in pandas for my course projects and would love to do "
            "it on real data.",
            "offer": "Your pandas notebook convinced us. Welcome!",
        },
        "question": (
            "Which period should the first version cover: last month or the whole year?",
            "The whole year, Ana, but start with one month to check the numbers.",
            "Thanks, I'll start with January.",
        ),
        "endorse": [("pandas", 3), ("python", 2), ("data-visualization", 2)],
        "practised": [("pandas", "Rebuilt eleven KPIs from three raw exports.")],
        "org_review": {
            "scores": {
                "quality": 4,
                "communication": 5,
                "reliability": 5,
                "initiative": 4,
                "growth": 4,
            },
            "strengths": "Careful with numbers: every KPI was checked against last year's "
            "workbook before she called it done. Clear README.",
            "to_improve": "Ask earlier when an export looks odd instead of working around it.",
            "recommend": True,
        },
        "student_review": {
            **STUDENT_REVIEW,
            "strengths": "Mateo answered every question the same day and showed me how the "
            "analysts really use the report.",
            "to_improve": "The first export we got was the wrong month; a checklist would help.",
        },
        "talent": {
            "notes": "Reliable with messy exports; would rehire for analysis work.",
            "tags": ["analytics", "pandas", "rehire"],
        },
    },
    {
        "student": "gabriel.costa@students.example",
        "began": 60,
        "payment": "late",
        "missed": True,
        "project": {
            "title": "Customer survey for a pet-food brand",
            "summary": "Design, run and analyse a 15-question customer survey.",
            "description": "A pet-food client wants to know why customers switch brands. "
            "Design the questionnaire with us, run it with their newsletter list and report "
            "what you find.",
            "objectives": ["Design a 15-question survey", "Report the main reasons for switching"],
            "learning_outcomes": ["Survey design for a real client", "Reporting to a client"],
            "skills": [("survey-design", 2, True), ("statistics", 1, False)],
            "weeks": 3,
            "hours_per_week": 6,
            "euros": 300,
            "deliverables": [
                ("Questionnaire", "The questions, their order and the answer scales.", 4),
                ("Survey report", "Findings, charts and the cleaned answers.", 99),
            ],
            "pitch": "I designed the survey of my public-health cohort study and want to try "
            "it with customers.",
            "offer": "We liked your cohort-study survey. Looking forward to it!",
        },
        "question": (
            "Should the survey go to every newsletter subscriber, or only to recent buyers?",
            "Only people who bought in the last year, Gabriel: they remember why they switched.",
            "Thanks, I'll filter the list that way.",
        ),
        "endorse": [("survey-design", 3), ("statistics", 2)],
        "practised": [("survey-design", "Wrote and piloted the 15 questions with two customers.")],
        "org_review": {
            "scores": {
                "quality": 4,
                "communication": 3,
                "reliability": 3,
                "initiative": 4,
                "growth": 4,
            },
            "strengths": "The questionnaire was excellent: short, neutral, tested on two "
            "customers before it went out.",
            "to_improve": "Warn us before missing a check-in.",
            "recommend": True,
        },
        "student_review": {
            "scores": {
                "clarity": 4,
                "mentorship": 4,
                "responsiveness": 4,
                "learning": 4,
                "time_respect": 5,
            },
            "recommend": True,
            "strengths": "Real respondents and a client who read the report.",
            "to_improve": "The payment came three weeks after the date in the agreement.",
        },
    },
    {
        "student": "isla.murphy@students.example",
        "began": 40,
        "payment": "on_time",
        "changes": True,
        "project": {
            "title": "Store footfall dashboard",
            "summary": "One dashboard of visits per store and hour, from the door counters.",
            "description": "Store managers get a CSV from their door counters every night. "
            "Build a dashboard that shows visits per hour and compares stores, with a short "
            "guide for the managers.",
            "objectives": ["Load a year of counter data", "Build a dashboard managers use"],
            "learning_outcomes": ["SQL on real data", "Designing for non-analysts"],
            "skills": [("data-visualization", 2, True), ("sql", 1, False)],
            "weeks": 4,
            "hours_per_week": 8,
            "euros": 520,
            "deliverables": [
                ("Dashboard sketch", "Which charts, for which question.", 4),
                ("Dashboard and guide", "The dashboard and a one-page guide.", 99),
            ],
            "pitch": "I love turning numbers into charts people understand.",
            "offer": "Great portfolio. Let's build it!",
        },
        "question": (
            "Do the store managers look at the dashboard on a phone or on a computer?",
            "Mostly on a tablet in the back office, Isla. Design for that size first.",
            "Good to know, thanks! I'll test it on a tablet.",
        ),
        "endorse": [("data-visualization", 3), ("sql", 2)],
        "practised": [("data-visualization", "Designed the dashboard with two store managers.")],
        "org_review": {
            "scores": {
                "quality": 5,
                "communication": 4,
                "reliability": 5,
                "initiative": 5,
                "growth": 4,
            },
            "strengths": "The managers use the dashboard every morning; nothing to redo.",
            "to_improve": "Keep the first sketch rougher: we would have commented sooner.",
            "recommend": True,
        },
        "student_review": {
            **STUDENT_REVIEW,
            "strengths": "Clear brief, quick feedback on the sketch, and I met real users.",
            "to_improve": "Access to the counter data took a few days.",
        },
    },
]

ACTIVE = {
    "title": "Basket analysis for a garden-centre chain",
    "summary": "Find which products sell together in 40 garden centres.",
    "description": "A garden-centre chain wants to plan its spring displays. Using 18 months of "
    "till data, find which products are bought together, how that changes with the season, "
    "and present it to their category managers.",
    "objectives": [
        "Clean and join 18 months of till data",
        "Find the product pairs that sell together, by season",
        "Present the findings to the category managers",
    ],
    "learning_outcomes": ["Market-basket analysis", "Presenting to non-analysts"],
    "skills": [("python", 3, True), ("pandas", 2, True), ("statistics", 2, False)],
    "weeks": 6,
    "hours_per_week": 8,
    "euros": 720,
    "deliverables": [
        ("Work plan", "The data you need, the method, and a week-by-week plan.", 4),
        ("First findings", "Cleaned data and the first product pairs, with caveats.", 25),
        ("Final report and handover", "Slides or a report for the category managers.", 99),
    ],
    "pitch": "I did the KPI report with Mateo last term and would love to go deeper into "
    "analysis with you.",
    "offer": "Nora here: we kept you on our talent list after the KPI report. This one is "
    "yours if you want it!",
    "posted": 30,
    "applied": 27,
}


def build(skills: dict[str, int]) -> None:
    """Northwind's finished engagements, Ana's engagement under way, and a cancelled one."""
    clock = Clock()
    organization, owner, mentor = _organization(NORTHWIND)
    zone = zoneinfo.ZoneInfo(STOCKHOLM)
    today = timezone.localdate(timezone=zone)
    # In the order they happened: Ana's first engagement is over before she accepts the second,
    # so her hours do not clash.
    for spec in FINISHED:
        _finish(clock, spec, today, organization, owner, mentor, skills)
    _under_way(clock, today, organization, owner, mentor, skills)
    _called_off(clock, skills)
    _mark_old_notifications_read()


def _finish(clock, spec, today, organization, owner, mentor, skills) -> None:
    """A finished engagement: check-ins, a question, updates, both deliverables accepted,
    completed, both final reviews revealed (endorsements verified), and the payment."""
    student = _student(spec["student"])
    project = spec["project"]
    story = Story(clock, tzname=STOCKHOLM, starts_on=today - datetime.timedelta(days=spec["began"]))
    story.engage(
        organization=organization,
        owner=owner,
        mentor=mentor,
        student=student,
        spec=project,
        skills=skills,
    )
    e = story.fresh()
    ends = (e.project.ends_on - e.project.starts_on).days
    half = ends // 2

    for n, checkin in enumerate(story.checkin_list()):
        if n == 1 and spec.get("missed"):
            story.missed(checkin, mentor, "student")
        else:
            story.held(
                checkin,
                mentor,
                notes="Went through progress and next steps." if n else "Agreed the plan.",
            )

    asked, answer, thanks = spec["question"]
    question = story.post(1, "11:05", student, asked, question=True)
    story.post(1, "13:40", mentor, answer)
    story.answered(1, "13:42", question, mentor)
    story.post(1, "14:05", student, thanks)

    hours = project["hours_per_week"]
    for week in range(project["weeks"]):
        story.update(
            min(4 + 7 * week, ends),
            student,
            hours,
            f"Week {week + 1}: "
            + ("set up the data and the plan." if week == 0 else "worked through the plan."),
            next_steps="Keep going with the plan." if week + 1 < project["weeks"] else "",
        )

    work_plan = story.submit(
        3, "16:30", "d1", student, note="First version.", link="https://docs.example/plan-v1"
    )
    if spec.get("changes"):
        story.request_changes(
            4, "10:15", work_plan, mentor, "Please add which question each chart answers."
        )
        work_plan = story.submit(
            4, "18:00", "d1", student, note="Questions added.", link="https://docs.example/plan-v2"
        )
    story.accept(5, "09:30", work_plan, mentor, "Good plan, go ahead.")

    story.review(half + 1, "15:00", "midpoint", mentor, **MIDPOINT_BY_ORGANIZATION)
    story.review(half + 2, "12:00", "midpoint", student, **MIDPOINT_BY_STUDENT)

    for slug, note in spec["practised"]:
        story.practised(ends - 2, mentor, skills[slug], note)
    final = story.submit(
        ends - 1,
        "17:45",
        "d2",
        student,
        note="Everything is in the folder, with a README.",
        link="https://docs.example/final",
    )
    story.post(ends - 1, "17:50", student, "Final version is up. Thank you for these weeks!")
    story.accept(ends, "11:20", final, mentor, "Exactly what we needed. Thank you!")

    with story.at(ends + 1, "10:00") as now:
        completion.complete(story.fresh(), by=owner, now=now)
    endorsements = [{"skill": skills[slug], "level": level} for slug, level in spec["endorse"]]
    story.review(
        ends + 2, "14:00", "final", mentor, endorsements=endorsements, **spec["org_review"]
    )
    story.review(ends + 3, "20:30", "final", student, **spec["student_review"])

    # Talent lists need the student's consent: "open to future roles" on their profile.
    if "talent" in spec and student.student_profile.open_to_future_roles:
        with story.at(ends + 4, "11:00"):
            talent.add_to_list(story.fresh(), by=owner, **spec["talent"])

    amount = project["euros"] * 100
    completed_on = e.project.starts_on + datetime.timedelta(days=ends + 1)
    paid_days = {"confirmed": 7, "on_time": 9, "late": 14 + 23}[spec["payment"]]
    paid = ends + 1 + paid_days
    with story.at(paid, "09:00"):
        completion.record_payment(
            story.fresh(),
            by=owner,
            amount=amount,
            paid_on=e.project.starts_on + datetime.timedelta(days=paid),
            reference=f"NW-{completed_on:%Y%m%d}-{student.name.split()[-1].upper()}",
        )
    if spec["payment"] == "confirmed":
        with story.at(paid + 2, "18:00"):
            completion.confirm_payment(story.fresh(), by=student)


def _under_way(clock, today, organization, owner, mentor, skills) -> None:
    """Ana's engagement, three weeks in: two check-ins held, one missed, one moved; questions,
    updates, a work plan accepted after one round of changes; the learning plan in use; the
    mentor's mid-point review waiting for hers; an open question from a few hours ago."""
    ana = _student("ana.silva@students.example")
    story = Story(clock, tzname=STOCKHOLM, starts_on=today - datetime.timedelta(days=21))
    story.engage(
        organization=organization,
        owner=owner,
        mentor=mentor,
        student=ana,
        spec=ACTIVE,
        skills=skills,
    )
    e = story.fresh()
    now = timezone.now()
    first, second, third, *upcoming = story.checkin_list()

    # Week 1: welcome, a question answered, the learning plan, the first check-in, the work
    # plan sent back once.
    story.post(
        0,
        "09:10",
        mentor,
        "Welcome back, Ana! The till exports are in the shared folder; start with the 2024 "
        "files, they are the cleanest.",
    )
    shops = story.post(
        0,
        "11:02",
        ana,
        "Should I include the **online orders** too, or only the shops?",
        question=True,
    )
    story.post(0, "14:25", mentor, "Only the shops for now: online baskets behave differently.")
    story.answered(0, "14:31", shops, ana)
    story.post(0, "14:32", ana, "Great, thanks! I'll leave the online orders out.")
    with story.at(0, "15:00"):
        learning.add_item(
            e,
            by=mentor,
            kind=LearningItem.Kind.RESOURCE,
            title="pandas user guide: Group by (split-apply-combine)",
            url="https://pandas.pydata.org/docs/user_guide/groupby.html",
            notes="Most of the basket work is groupby; read this before week 2.",
        )
    with story.at(0, "19:40"):
        training = learning.add_item(
            e,
            by=ana,
            kind=LearningItem.Kind.TRAINING,
            title="Association rules: support, confidence and lift",
            url="https://www.kaggle.com/learn",
            notes="Two short lessons a week.",
        )
    story.held(
        first,
        mentor,
        agenda=[
            (ana, "Which columns of the till export can I trust?"),
            (mentor, "Agree the format of the work plan"),
        ],
        notes="- Till exports: trust `store_id`, `sku`, `qty`; ignore `promo_flag` before "
        "March.\n- Work plan as a one-page document, by its due date.\n- **Next:** Ana sends the "
        "first clean sample.",
    )
    plan = story.submit(
        3,
        "16:40",
        "d1",
        ana,
        note="One page: data, method (association rules), and a plan per week.",
        link="https://docs.example/basket-work-plan-v1",
    )
    story.request_changes(
        4,
        "10:20",
        plan,
        mentor,
        "Good start. Please say how you will treat **returns**, and split the seasons by "
        "region: the north starts spring three weeks later.",
    )
    week1 = story.update(
        4,
        ana,
        "7.5",
        "Explored the till exports and wrote the work plan.",
        next_steps="Clean the 2024 exports; first basket counts.",
    )
    story.comment(5, "09:00", week1, mentor, "Nice pace. Keep a log of the cleaning rules.")
    plan = story.submit(
        6,
        "15:05",
        "d1",
        ana,
        note="Returns are netted per basket; seasons by region (north/south).",
        link="https://docs.example/basket-work-plan-v2",
    )
    story.post(6, "15:07", ana, "I sent the new version of the work plan.")
    story.accept(7, "09:40", plan, mentor, "Clear and realistic. Go ahead!")

    # Week 2: the mentor misses a check-in, a second question, the training under way.
    with story.at(7, "20:00"):
        learning.set_status(e, training.pk, by=ana, status=LearningItem.Status.IN_PROGRESS)
        goal = e.learning_items.filter(kind=LearningItem.Kind.GOAL).order_by("pk").first()
        if goal is not None:
            learning.set_status(e, goal.pk, by=ana, status=LearningItem.Status.IN_PROGRESS)
    story.missed(second, ana, "organization")
    second_day = story.day_of(second.scheduled_at)
    story.post(
        second_day,
        "14:00",
        mentor,
        "Sorry Ana, a client workshop ran over this morning. Send me your questions here and "
        "we'll go through them next week.",
    )
    story.post(second_day, "14:20", ana, "No problem! I'll collect my questions here.")
    week2 = story.update(
        11,
        ana,
        "8",
        "Cleaned 2024 and 2023: 1.2 million baskets once returns are netted.",
        blockers="The 2023 files use the old store ids.",
        next_steps="Map the old store ids; compute pair counts.",
    )
    ids = story.post(
        12,
        "10:30",
        ana,
        "Is there a table that maps the **old store ids** of 2023 to the new ones?",
        question=True,
    )
    reply = story.post(12, "16:45", mentor, "Yes: `store_map_2023.csv` in the reference folder.")
    story.answered(12, "16:46", ids, mentor)
    story.post(12, "17:30", ana, "Found it, thank you. The mapping covers every store.")
    story.comment(12, "16:50", week2, mentor, "Thanks for flagging it early.")

    # Week 3: Ana moves a check-in for an exam; skills practised; the mentor's mid-point review.
    moved_to = story.day_of(third.scheduled_at) + 1
    while (story.starts_on + datetime.timedelta(days=moved_to)).weekday() > 4:
        moved_to += 1
    with story.at(second_day + 5, "12:00") as moment:
        checkins.reschedule(
            third,
            by=ana,
            to=story.time(moved_to, "14:00"),
            reason="My statistics exam moved to that morning; could we meet the next working "
            "day after lunch?",
            now=moment,
        )
    third.refresh_from_db()
    story.held(
        third,
        ana,
        agenda=[(ana, "First product pairs: are they plausible?")],
        notes="- Top pairs make sense (compost + seed trays).\n- Mateo: check the lift of "
        "rare products before showing them.\n- First findings due next week.",
        late_minutes=35,
    )
    story.practised(16, mentor, skills["pandas"], "Cleaned and joined 18 months of till data.")
    story.practised(17, mentor, skills["statistics"], "Support, confidence and lift by season.")
    week3 = story.update(
        18,
        ana,
        "9.25",
        "Pair counts for both years; a first comparison of the seasons.",
        next_steps="Write up the first findings.",
    )
    story.comment(19, "08:50", week3, mentor, "Great progress. Let's look at lift next time.")
    story.review(
        (today - story.starts_on).days - 1,
        "10:30",
        "midpoint",
        mentor,
        scores={"quality": 4, "communication": 5, "reliability": 4, "initiative": 4, "growth": 5},
        strengths="Thorough cleaning, and she documents every rule she applies.",
        to_improve="Share rough results earlier; we like to see work in progress.",
    )

    # Today: a question still open and a point for the next check-in.
    with clock.at(now - datetime.timedelta(hours=3)):
        asked = messaging.post_message(
            e,
            by=ana,
            body="For the final report, do the category managers prefer **slides** or a "
            "written report?",
            is_question=True,
        )
    with clock.at(now - datetime.timedelta(hours=2)):
        if upcoming:
            checkins.add_agenda_item(
                upcoming[0], by=ana, text="Slides or a written report for the final handover?"
            )
        messaging.mark_read(e, by=ana, up_to=asked.pk)
        messaging.mark_read(e, by=mentor, up_to=reply.pk)


def _called_off(clock, skills) -> None:
    """A Greenleaf engagement the student cancelled before it began (its dates are ahead)."""
    organization, owner, mentor = _organization(GREENLEAF)
    ben = _student("ben.okafor@students.example")
    zone = "Europe/Lisbon"
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))
    story = Story(clock, tzname=zone, starts_on=today + datetime.timedelta(days=17))
    ends_on = story.starts_on + datetime.timedelta(days=13)
    data = {
        "title": "Newsletter sign-up widget",
        "summary": "A small, accessible sign-up form for a climate newsletter.",
        "description": "Build an accessible sign-up widget our clients can paste into any "
        "site, with double opt-in.",
        "objectives": ["Build the widget", "Test it with a screen reader"],
        "learning_outcomes": ["Accessible forms"],
        "starts_on": story.starts_on,
        "ends_on": ends_on,
        "application_deadline": story.starts_on - datetime.timedelta(days=3),
        "estimated_hours": 12,
        "hours_per_week": 6,
        "compensation_amount": 24_000,
        "currency": "EUR",
        "capacity": 1,
        "timezone": zone,
        "mentor": mentor.pk,
        "deliverables": [
            {
                "title": "Working widget",
                "description": "The widget and a page showing it.",
                "due_on": ends_on,
            }
        ],
        "skills": [
            {"skill": skills["javascript"], "min_level": 2, "is_required": True},
            {"skill": skills["html"], "min_level": 2, "is_required": True},
        ],
    }
    with story.at(-29, "10:00"):
        project = projects.create_project(organization, by=owner, data=data)
        project = project_status.change(project, "publish", by=owner)
    with story.at(-26, "21:15"):
        application = engagements.apply_to_project(
            project,
            by=ben,
            pitch="I build accessible forms for our student union's site.",
            availability_confirmed=True,
        )
    with story.at(-23, "09:40"):
        engagements.make_offer(application, by=owner, message="Happy to have you on board!")
    with story.at(-22, "18:20"):
        engagement = engagements.accept_offer(application, by=ben)
    Application.objects.filter(pk=application.pk).update(
        offer_expires_at=F("offered_at") + datetime.timedelta(days=OFFER_DAYS)
    )
    with story.at(-19, "08:05"):
        agreements.cancel(
            engagement,
            by=ben,
            reason="I was offered a research assistant post that takes all my hours this "
            "term. Sorry for the short notice; I hope to apply again in the summer.",
        )


def _mark_old_notifications_read() -> None:
    """People who lived through the story read what it told them; the last two days stay new."""
    cutoff = timezone.now() - datetime.timedelta(days=2)
    for notification in Notification.objects.filter(
        created_at__lt=cutoff, read_at__isnull=True
    ).select_related("recipient"):
        notifications.mark_read(notification, by=notification.recipient)
