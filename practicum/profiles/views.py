from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from practicum.core import files, images
from practicum.core.actions import upload_action
from practicum.core.errors import Refused
from practicum.core.forms import apply_errors
from practicum.core.loading import visible_or_404
from practicum.profiles import cv, selectors, services
from practicum.profiles.forms import CvForm, PhotoForm, ProfileForm


def _render_profile(request, profile):
    return render(
        request,
        "profiles/profile.html",
        {
            "profile": profile,
            "skill_groups": selectors.skills_by_category(profile),
            "can_edit": request.user.has_perm("profiles.change_profile", profile),
            # Asked only when there is a CV to show: one query, for a viewer who is not the owner.
            "can_see_cv": bool(profile.cv) and request.user.has_perm("profiles.view_cv", profile),
        },
    )


@login_required
def my_profile(request):
    try:
        profile = services.own_profile(request.user)
    except Refused as exc:
        messages.info(request, exc.message)
        return redirect("home")
    return _render_profile(request, profile)


@login_required
def student_profile(request, pk):
    profile = visible_or_404(
        selectors.profile_for_page(pk), request.user, "profiles.view_profile", what="student"
    )
    return _render_profile(request, profile)


@login_required
def edit_profile(request):
    try:
        profile = services.own_profile(request.user)
    except Refused as exc:
        messages.info(request, exc.message)
        return redirect("home")
    form = ProfileForm(request.POST if request.method == "POST" else None, profile=profile)
    if request.method == "POST" and not form.apply_row_action() and form.is_valid():
        try:
            services.update_profile(profile, by=request.user, data=form.to_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("profiles:mine")
    return render(request, "profiles/edit.html", {"form": form, "profile": profile})


def _own_profile_or_home(request):
    try:
        return services.own_profile(request.user)
    except Refused as exc:
        messages.info(request, exc.message)
        return None


def _render_files(request, profile, *, photo_form=None, cv_form=None):
    return render(
        request,
        "profiles/files.html",
        {
            "profile": profile,
            "photo_form": photo_form or PhotoForm(),
            "cv_form": cv_form or CvForm(),
        },
    )


@login_required
@require_GET
def my_files(request):
    """The student's photo and CV, each with its upload and remove buttons."""
    profile = _own_profile_or_home(request)
    if profile is None:
        return redirect("home")
    return _render_files(request, profile)


def _upload(request, *, form_class, field, store, done, form_name):
    profile = _own_profile_or_home(request)
    if profile is None:
        return redirect("home")
    return upload_action(
        request,
        form_class(request.POST, request.FILES),
        lambda upload: store(profile, by=request.user, upload=upload),
        field=field,
        rerender=lambda form: _render_files(request, profile, **{form_name: form}),
        done=done,
        then="profiles:files",
    )


def _remove(request, *, remove, done):
    profile = _own_profile_or_home(request)
    if profile is None:
        return redirect("home")
    remove(profile, by=request.user)
    messages.success(request, done)
    return redirect("profiles:files")


@login_required
@require_POST
def upload_photo(request):
    return _upload(
        request,
        form_class=PhotoForm,
        field="photo",
        store=services.set_photo,
        done="Your photo is saved.",
        form_name="photo_form",
    )


@login_required
@require_POST
def remove_photo(request):
    return _remove(request, remove=services.remove_photo, done="Your photo is removed.")


@login_required
@require_POST
def upload_cv(request):
    return _upload(
        request,
        form_class=CvForm,
        field="cv",
        store=services.set_cv,
        done="Your CV is saved.",
        form_name="cv_form",
    )


@login_required
@require_POST
def remove_cv(request):
    return _remove(request, remove=services.remove_cv, done="Your CV is removed.")


def photo_response(profile):
    return files.inline(profile.photo, content_type=images.CONTENT_TYPE, public=False)


def cv_response(profile):
    return files.attachment(profile.cv, filename=profile.cv_name, content_type=cv.CONTENT_TYPE)


@login_required
@require_GET
def student_photo(request, pk):
    """The photo, for whoever may see the profile (a 404 for anyone else, as for the page)."""
    return photo_response(
        visible_or_404(
            selectors.profile_by_pk(pk), request.user, "profiles.view_profile", what="student"
        )
    )


@login_required
@require_GET
def student_cv(request, pk):
    """The CV: the student, and members of organizations the student applied to."""
    return cv_response(
        visible_or_404(
            selectors.profile_by_pk(pk), request.user, "profiles.view_cv", what="student"
        )
    )
