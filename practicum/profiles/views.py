from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from practicum.core.errors import Refused
from practicum.core.forms import apply_errors
from practicum.core.loading import visible_or_404
from practicum.profiles import selectors, services
from practicum.profiles.forms import ProfileForm


def _render_profile(request, profile):
    return render(
        request,
        "profiles/profile.html",
        {
            "profile": profile,
            "skill_groups": selectors.skills_by_category(profile),
            "can_edit": request.user.has_perm("profiles.change_profile", profile),
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
