"""One rule for loading what a request names, and one answer for a service's refusal on a page."""

import pytest
from django.http import Http404
from django.urls import reverse

from practicum.core.loading import visible_or_404
from tests.factories import UserFactory


def test_a_missing_object_is_a_404_named_after_what_was_asked():
    with pytest.raises(Http404, match=r"^No such check-in\.$"):
        visible_or_404(None, what="check-in")


def test_an_object_the_user_may_not_see_is_the_same_404(active_engagement, outsider):
    with pytest.raises(Http404, match=r"^No such engagement\.$"):
        visible_or_404(
            active_engagement, outsider, "engagements.view_engagement", what="engagement"
        )


def test_a_party_gets_the_object(active_engagement):
    student = active_engagement.student
    found = visible_or_404(active_engagement, student, "engagements.view_engagement", what="x")
    assert found == active_engagement


@pytest.mark.django_db
def test_a_superuser_is_not_a_party(active_engagement):
    """Django's backend grants a superuser every permission; our rules do not."""
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert not admin.has_perm("engagements.view_engagement", active_engagement)
    with pytest.raises(Http404):
        visible_or_404(active_engagement, admin, "engagements.view_engagement", what="engagement")


def test_a_superuser_gets_a_404_on_a_workspace_page(client, active_engagement):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("engagements:detail", args=[active_engagement.pk]))
    assert response.status_code == 404


def test_a_refusal_raised_in_a_page_is_the_styled_403_with_its_sentence(client, active_engagement):
    """The student may not record completion (the organization's act): the service's Refused
    reaches the page as the 403 page that says why."""
    client.force_login(active_engagement.student)
    response = client.post(reverse("completion:complete", args=[active_engagement.pk]), {})
    assert response.status_code == 403
    assert b"<html" in response.content.lower()
