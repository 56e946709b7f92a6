"""Career-center pages. Students: their enrollments, consent and the log of who looked (404 for
other accounts). Staff: the students who share with them, pending requests, and one student's
outcomes record, each opening logged (404 for anybody the student does not share with)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from practicum.accounts.models import Institution
from practicum.careers import selectors, services
from practicum.careers.forms import EnrollmentForm
from practicum.careers.models import AccessLogEntry
from practicum.core.actions import form_action
from practicum.core.errors import ServiceError


def _student(request):
    if not request.user.is_student:
        raise Http404("No such page.")
    return request.user


def _staff_institutions(request) -> list[Institution]:
    institutions = selectors.institutions_of(request.user)
    if not institutions:
        raise Http404("No such page.")
    return institutions


def _render_mine(request, *, form=None, status=200):
    student = request.user
    log = Paginator(selectors.access_log_of(student), selectors.PAGE_SIZE)
    return render(
        request,
        "careers/mine.html",
        {
            "enrollments": selectors.enrollments_of(student),
            "form": form or EnrollmentForm(),
            "log": log.get_page(request.GET.get("page")),
            "shared": selectors.WHAT_IS_SHARED,
            "never": selectors.WHAT_IS_NEVER_SHARED,
        },
        status=status,
    )


@login_required
@require_GET
def mine(request):
    _student(request)
    return _render_mine(request)


@login_required
@require_POST
def request_enrollment(request):
    student = _student(request)
    return form_action(
        request,
        EnrollmentForm(request.POST),
        lambda data: services.request_enrollment(
            student, institution=data["institution"], email=data["email"]
        ),
        rerender=lambda status, form: _render_mine(request, form=form, status=status),
        done=lambda e: (
            f"We sent a link to {e.email}: follow it to be verified."
            if e.email
            else f"Asked {e.institution.name}'s career center to confirm you."
        ),
        then=reverse("careers:mine"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The emailed link: a page with one button, so that a mail scanner following the link
    verifies nothing."""
    _student(request)
    if request.method == "GET":
        return render(request, "careers/confirm.html", {"token": token})
    return form_action(
        request,
        None,
        lambda data: services.confirm_enrollment(token, by=request.user),
        rerender=None,
        done=lambda e: f"You are verified at {e.institution.name}.",
        then=reverse("careers:mine"),
    )


def _institution(pk) -> Institution:
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None:
        raise Http404("No such institution.")
    return institution


@login_required
@require_POST
def give_consent(request, institution_id):
    student, institution = _student(request), _institution(institution_id)
    return form_action(
        request,
        None,
        lambda data: services.give_consent(student, institution=institution),
        rerender=None,
        done=f"You share your outcomes with {institution.name}.",
        then=reverse("careers:mine"),
    )


@login_required
@require_POST
def withdraw_consent(request, institution_id):
    student, institution = _student(request), _institution(institution_id)
    return form_action(
        request,
        None,
        lambda data: services.withdraw_consent(student, institution=institution),
        rerender=None,
        done=f"{institution.name} no longer sees your outcomes.",
        then=reverse("careers:mine"),
    )


# --- staff ------------------------------------------------------------------------------


@login_required
@require_GET
def students(request):
    institutions = _staff_institutions(request)
    shared = Paginator(selectors.shared_students(request.user), selectors.PAGE_SIZE)
    pending = Paginator(selectors.pending_enrollments_for(request.user), selectors.PAGE_SIZE)
    return render(
        request,
        "careers/students.html",
        {
            "institutions": institutions,
            "students": shared.get_page(request.GET.get("page")),
            "pending": pending.get_page(request.GET.get("pending")),
        },
    )


@login_required
@require_GET
def record(request, student_id):
    try:
        record = services.open_record(
            student_id,
            by=request.user,
            what=AccessLogEntry.What.RECORD_PAGE,
            page=request.GET.get("page"),
        )
    except ServiceError as exc:
        raise Http404(exc.message) from exc
    return render(request, "careers/record.html", {"record": record})


def _decide(request, pk, decide, done):
    enrollment = selectors.enrollment_for_staff(request.user, pk)
    if enrollment is None:
        raise Http404("No such request.")
    return form_action(
        request,
        None,
        lambda data: decide(enrollment, by=request.user),
        rerender=None,
        done=done.format(name=enrollment.student.name),
        then=reverse("careers:students"),
    )


@login_required
@require_POST
def approve(request, pk):
    return _decide(request, pk, services.approve_enrollment, "{name} is verified.")


@login_required
@require_POST
def reject(request, pk):
    return _decide(request, pk, services.reject_enrollment, "{name}'s request is rejected.")
