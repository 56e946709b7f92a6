"""form_action: the answers every page gives to a posted form (the pages' own tests cover each
use; these pin the helper's contract, including the variations some pages need)."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from practicum.core.actions import form_action
from practicum.core.errors import Conflict, Refused, ServiceError


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


@pytest.fixture
def request_(rf):
    request = rf.post("/")
    request._messages = CookieStorage(request)
    return request


def rerender(status, form):
    return HttpResponse(f"page with {form.__class__.__name__}", status=status)


def run(request, act, *, data=None, form=True, **options):
    form = NameForm(data or {"name": "Ada"}) if form else None
    response = form_action(
        request,
        form,
        act,
        rerender=rerender,
        done=options.pop("done", "Done."),
        then="/back/",
        **options,
    )
    return form, response


def said(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_success_calls_the_service_with_the_cleaned_data_and_goes_back_with_the_message(request_):
    seen = []
    _, response = run(request_, seen.append)
    assert seen == [{"name": "Ada"}]
    assert response.status_code == 302 and response.url == "/back/"
    assert said(request_) == [("success", "Done.")]


def test_the_message_may_say_what_the_service_returned(request_):
    run(request_, lambda data: 3, done=lambda count: f"{count} added.")
    assert said(request_) == [("success", "3 added.")]


def test_invalid_input_shows_the_page_again_without_calling_the_service(request_):
    seen = []
    form, response = run(request_, seen.append, data={"name": "x" * 11})
    assert response.status_code == 422 and form.errors["name"]
    assert seen == [] and said(request_) == []


def test_the_services_validation_errors_go_next_to_the_fields(request_):
    def act(data):
        raise ValidationError({"name": "Taken."})

    form, response = run(request_, act)
    assert response.status_code == 422
    assert form.errors == {"name": ["Taken."]}


@pytest.mark.parametrize(
    "refusal",
    [Refused("not_yours", "Not yours."), ServiceError("gone", "Not yours.", status=404)],
)
def test_a_refusal_or_a_404_goes_to_the_error_pages_not_back(request_, refusal):
    """form_action lets them through; core.middleware.ServiceErrorPages answers them."""

    def act(data):
        raise refusal

    with pytest.raises(ServiceError, match=r"^Not yours\.$"):
        run(request_, act)
    assert said(request_) == []


def test_a_conflict_goes_back_with_its_message(request_):
    def act(data):
        raise Conflict("closed", "Closed meanwhile.")

    _, response = run(request_, act)
    assert response.status_code == 302 and response.url == "/back/"
    assert said(request_) == [("error", "Closed meanwhile.")]


def test_on_conflict_may_answer_instead_of_going_back(request_):
    def act(data):
        raise Conflict(data["name"], "Changed meanwhile.")

    def on_conflict(exc):
        return HttpResponse(status=409) if exc.code == "Ada" else None

    _, response = run(request_, act, on_conflict=on_conflict)
    assert response.status_code == 409
    assert said(request_) == [("error", "Changed meanwhile.")]


def test_service_errors_outside_conflicts_propagate(request_):
    def act(data):
        raise ServiceError("odd", "Odd.")

    with pytest.raises(ServiceError):
        run(request_, act, conflicts=Conflict)


def test_a_button_without_a_form_sends_no_data(request_):
    seen = []
    _, response = run(request_, seen.append, form=False)
    assert seen == [{}] and response.status_code == 302


def test_without_a_form_a_validation_error_has_nowhere_to_go(request_):
    def act(data):
        raise ValidationError("Bad.")

    with pytest.raises(ValidationError):
        run(request_, act, form=False)
