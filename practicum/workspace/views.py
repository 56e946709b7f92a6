"""The workspace's own page: the engagement's timeline. The sections (check-ins, deliverables,
messages, updates, learning) have their own apps."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from practicum.workspace import access, selectors
from practicum.workspace.selectors import Order


class TimelineFilterForm(forms.Form):
    group = forms.ChoiceField(
        label="Show", choices=[("", "Everything"), *selectors.GROUP_CHOICES], required=False
    )
    order = forms.ChoiceField(label="Order", choices=Order.CHOICES, required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def filters(self) -> dict:
        """The valid filters; a field with an error is left out (the page says what was wrong)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "group": data.get("group") or "",
            "order": data.get("order") or Order.OLDEST,
            "page": data.get("page") or 1,
        }


@login_required
@require_GET
def timeline(request, pk):
    """Everything that happened to the engagement, as sentences, 100 to a page. A filter that
    makes no sense is shown next to its field (422) and left out."""
    engagement = access.readable(request.user, pk)
    form = TimelineFilterForm(request.GET)
    valid = form.is_valid()
    filters = form.filters()
    page = selectors.timeline(engagement, **filters)
    return render(
        request,
        "workspace/timeline.html",
        {
            "engagement": engagement,
            "form": form,
            "page": page,
            "filters": filters,
            "group_label": selectors.GROUPS[filters["group"]][0] if filters["group"] else "",
        },
        status=200 if valid else 422,
    )
