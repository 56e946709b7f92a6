"""The match round pages: thin over services.py (writes) and selectors.py (reads).

Outsiders get a 404 for a round (rules.py says who knows of it); participants who open a page
that is not theirs get a 403. Invalid input shows the page again with the errors next to the
fields and what was typed, with a 422.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from practicum.core.actions import form_action
from practicum.core.errors import ServiceError
from practicum.core.forms import apply_errors
from practicum.core.loading import visible_or_404
from practicum.rounds import selectors, services, transitions
from practicum.rounds.forms import (
    AddProjectForm,
    AddStudentsForm,
    ApplicantRankingForm,
    CapacityForm,
    RoundForm,
    RoundSettingsForm,
    RunForm,
    StudentRankingForm,
)
from practicum.rounds.models import MatchRound

State = MatchRound.State


def _visible_round(request, pk) -> MatchRound:
    match_round = visible_or_404(
        selectors.round_with_owner(pk), request.user, "rounds.view_round", what="round"
    )
    return match_round


def _managed_round(request, pk) -> MatchRound:
    match_round = selectors.round_with_owner(pk)
    if match_round is not None and request.user.has_perm("rounds.manage_round", match_round):
        return match_round
    if match_round is None or not request.user.has_perm("rounds.view_round", match_round):
        raise Http404("No such round.")
    raise PermissionDenied("Only the people who run this round can see this page.")


# --------------------------------------------------------------------------------------------
# Lists and creation
# --------------------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request):
    """The rounds the user runs and their organizations' projects in rounds; students have
    their own page."""
    if request.user.is_student:
        return redirect("rounds:mine")
    institutions, organizations = selectors.bodies_of(request.user)
    return render(
        request,
        "rounds/list.html",
        {
            "rounds": selectors.rounds_run_by(request.user),
            "round_projects": selectors.round_projects_of_member(request.user),
            "may_create": bool(institutions or organizations),
        },
    )


@login_required
def create(request):
    institutions, organizations = selectors.bodies_of(request.user)
    if not institutions and not organizations:
        raise PermissionDenied("Career-center staff and organization owners start match rounds.")
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        institutions=institutions,
        organizations=organizations,
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                match_round = services.create_round(by=request.user, **form.to_data())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, f"The round “{match_round}” is a draft: add projects and students."
                )
                return redirect(match_round)
    return render(request, "rounds/create.html", {"form": form}, status=status)


@login_required
@require_GET
def my_rounds(request):
    """A student's rounds, with their result once published."""
    rows = [
        (row, selectors.result_message(row.result) if row.result else "")
        for row in selectors.rounds_of_student(request.user)
    ]
    return render(request, "rounds/mine.html", {"rows": rows})


# --------------------------------------------------------------------------------------------
# The staff's round page
# --------------------------------------------------------------------------------------------


def _render_detail(request, match_round, *, status=200, **forms):
    projects = selectors.round_projects(match_round)
    students = selectors.round_students(match_round)
    editable = match_round.state in transitions.EDITABLE
    context = {
        "round": match_round,
        "projects": [
            (entry, CapacityForm(initial={"capacity": entry.capacity})) for entry in projects
        ],
        "students": students,
        "ranked_students": sum(1 for s in students if s.choice_count),
        "unranked_projects": [e for e in projects if e.applicant_count and not e.ranked_at],
        "editable": editable,
        "actions": transitions.allowed_actions(match_round.state),
        "is_institution_round": match_round.institution_id is not None,
        "deadline_passed": match_round.deadline_passed(),
        "preview_link": match_round.state in (State.MATCHED, State.PUBLISHED),
        "settings_form": forms.get("settings_form")
        or RoundSettingsForm(
            initial={"name": match_round.name, "ranking_deadline": match_round.ranking_deadline}
        ),
        "run_form": RunForm(),
    }
    if editable:
        context["project_form"] = forms.get("project_form") or AddProjectForm(
            projects=selectors.addable_projects(match_round)
        )
        context["students_form"] = forms.get("students_form") or AddStudentsForm()
    if "capacity_form" in forms:
        entry_pk, form = forms["capacity_form"]
        context["projects"] = [
            (entry, form if entry.pk == entry_pk else capacity)
            for entry, capacity in context["projects"]
        ]
    return render(request, "rounds/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk):
    return _render_detail(request, _managed_round(request, pk))


@login_required
@require_POST
def edit_settings(request, pk):
    match_round = _managed_round(request, pk)
    return form_action(
        request,
        RoundSettingsForm(request.POST),
        lambda data: services.update_round(match_round, by=request.user, **data),
        rerender=lambda status, form: _render_detail(
            request, match_round, status=status, settings_form=form
        ),
        done="The round's settings are saved.",
        then=match_round,
    )


@login_required
@require_POST
def add_project(request, pk):
    match_round = _managed_round(request, pk)
    return form_action(
        request,
        AddProjectForm(request.POST, projects=selectors.addable_projects(match_round)),
        lambda data: services.add_project(match_round, by=request.user, **data),
        rerender=lambda status, form: _render_detail(
            request, match_round, status=status, project_form=form
        ),
        done=lambda entry: f"“{entry.project}” is in the round with {_places(entry.capacity)}.",
        then=match_round,
    )


def _places(count: int) -> str:
    return f"{count} place{'s' if count != 1 else ''}"


def _round_project(match_round, project_id):
    entry = visible_or_404(
        selectors.round_project(match_round, project_id), what="project in this round"
    )
    return entry


@login_required
@require_POST
def set_capacity(request, pk, project_id):
    match_round = _managed_round(request, pk)
    entry = _round_project(match_round, project_id)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            services.set_capacity(entry, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(match_round)
        else:
            messages.success(
                request, f"“{entry.project}” now offers {_places(entry.capacity)} in the round."
            )
            return redirect(match_round)
    return _render_detail(request, match_round, status=422, capacity_form=(entry.pk, form))


@login_required
@require_POST
def remove_project(request, pk, project_id):
    match_round = _managed_round(request, pk)
    entry = _round_project(match_round, project_id)
    try:
        services.remove_project(entry, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{entry.project}” is no longer in the round.")
    return redirect(match_round)


@login_required
@require_POST
def add_students(request, pk):
    match_round = _managed_round(request, pk)
    return form_action(
        request,
        AddStudentsForm(request.POST),
        lambda data: services.add_students(match_round, by=request.user, **data),
        rerender=lambda status, form: _render_detail(
            request, match_round, status=status, students_form=form
        ),
        done=lambda added: _joined(len(added)),
        then=match_round,
    )


def _joined(count: int) -> str:
    if count == 0:
        return "Every one of them was in the round already."
    return f"{count} student{'s' if count != 1 else ''} joined the round."


@login_required
@require_POST
def add_institution_students(request, pk):
    match_round = _managed_round(request, pk)
    try:
        count = services.add_institution_students(match_round, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _joined(count))
    return redirect(match_round)


@login_required
@require_POST
def remove_student(request, pk, student_id):
    match_round = _managed_round(request, pk)
    entry = visible_or_404(
        selectors.round_student(match_round, student_id), what="student in this round"
    )
    try:
        services.remove_student(entry, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{entry.student} is no longer in the round.")
    return redirect(match_round)


_ACTIONS = {
    "open": (services.open_ranking, "Ranking is open: the students can rank the projects."),
    "reopen": (services.reopen_ranking, "Ranking is open again; the preview is gone."),
    "publish": (
        services.publish_round,
        "The results are published: every match is now an offer on the student's applications.",
    ),
    "cancel": (services.cancel_round, "The round is cancelled."),
}


@login_required
@require_POST
def act(request, pk, action):
    """The state buttons. Running takes the "before the deadline" checkbox."""
    match_round = _managed_round(request, pk)
    try:
        if action == "run":
            form = RunForm(request.POST)
            form.is_valid()  # a checkbox: always valid
            services.run_round(match_round, by=request.user, force=form.cleaned_data["force"])
            messages.success(request, "The match has run. Check the preview, then publish it.")
            return redirect("rounds:preview", match_round.pk)
        service, done = _ACTIONS[action]
        service(match_round, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(match_round)


@login_required
@require_GET
def preview(request, pk):
    """Every student's outcome, the unmatched and why, and each project's fill: for the staff,
    once the round has run."""
    match_round = _managed_round(request, pk)
    if match_round.state not in (State.MATCHED, State.PUBLISHED):
        messages.info(request, "There is nothing to preview until the round has run.")
        return redirect(match_round)
    return render(
        request,
        "rounds/preview.html",
        {
            "preview": selectors.preview(match_round),
            "actions": transitions.allowed_actions(match_round.state),
        },
    )


# --------------------------------------------------------------------------------------------
# Students and organizations
# --------------------------------------------------------------------------------------------


@login_required
def my_ranking(request, pk):
    """A student ranks the round's projects by position numbers (no script needed), and reads
    their result here once it is published."""
    match_round = _visible_round(request, pk)
    entry = selectors.round_entry(match_round, request.user)
    if entry is None:  # staff or a member of an organization in the round
        raise PermissionDenied("Only the round's students rank its projects.")
    entries = selectors.projects_to_rank(match_round)
    ranking = selectors.ranked_projects(entry)
    may_rank = match_round.state == State.RANKING and not match_round.deadline_passed()
    form = StudentRankingForm(
        request.POST if request.method == "POST" else None, entries=entries, ranking=ranking
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.rank_projects(
                    match_round, by=request.user, project_ids=form.to_project_ids()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except ServiceError as exc:
                messages.error(request, exc.message)
                return redirect("rounds:my_ranking", match_round.pk)
            else:
                messages.success(request, "Your ranking is saved.")
                return redirect("rounds:my_ranking", match_round.pk)
    result = selectors.published_result(match_round, request.user)
    return render(
        request,
        "rounds/my_ranking.html",
        {
            "round": match_round,
            "form": form,
            "ranking": ranking,
            "may_rank": may_rank,
            "result": result,
            "result_message": selectors.result_message(result) if result else "",
        },
        status=status,
    )


def _ranked_project(request, pk, project_id):
    """The round's entry for the project, for members of the project's organization only."""
    match_round = _visible_round(request, pk)
    entry = visible_or_404(
        selectors.round_project(match_round, project_id),
        request.user,
        "rounds.rank_applicants",
        what="project in this round",
    )
    return entry


@login_required
def applicants(request, pk, project_id):
    """The organization ranks the round students who ranked its project, by position numbers,
    or adopts the fit-score order; after publication it sees its matches here."""
    entry = _ranked_project(request, pk, project_id)
    form = ApplicantRankingForm(
        request.POST if request.method == "POST" else None,
        applicants=selectors.applicants_with_fit(entry),
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.rank_applicants(entry, by=request.user, student_ids=form.to_student_ids())
            except ValidationError as exc:
                apply_errors(form, exc)
            except ServiceError as exc:
                messages.error(request, exc.message)
                return redirect("rounds:applicants", pk, project_id)
            else:
                messages.success(request, "Your ranking of the applicants is saved.")
                return redirect("rounds:applicants", pk, project_id)
    return render(
        request,
        "rounds/applicants.html",
        {
            "round": entry.round,
            "entry": entry,
            "form": form,
            "may_rank": entry.round.state == State.RANKING,
            "matches": selectors.matches_of(entry),
        },
        status=status,
    )


@login_required
@require_POST
def adopt_fit(request, pk, project_id):
    entry = _ranked_project(request, pk, project_id)
    try:
        ranked = services.adopt_fit_order(entry, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"The {len(ranked)} applicant(s) are ranked by fit score, best first."
        )
    return redirect("rounds:applicants", pk, project_id)
