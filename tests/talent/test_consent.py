"""The completion page offers the student "open to future roles"; one button turns it on."""

import pytest
from django.urls import reverse

from tests.talent.conftest import set_open

pytestmark = pytest.mark.django_db

CONSENT = "/talent/me/consent/"


def completion_page(engagement):
    return reverse("completion:detail", args=[engagement.pk])


def test_the_completion_page_offers_the_opt_in_to_a_student_who_is_not_open(
    client_for, completed_engagement, student
):
    set_open(student, False)
    html = client_for(student).get(completion_page(completed_engagement)).content.decode()
    assert 'id="open-to-future-roles"' in html
    assert "I'm open to future roles" in html


def test_the_offer_is_gone_once_the_student_is_open(client_for, completed_engagement, student):
    html = client_for(student).get(completion_page(completed_engagement)).content.decode()
    assert 'id="open-to-future-roles"' not in html
    assert "You are open to future roles" in html


def test_the_button_turns_it_on_and_goes_back(client_for, completed_engagement, student):
    set_open(student, False)
    back = completion_page(completed_engagement)
    response = client_for(student).post(CONSENT, {"next": back})
    assert response.status_code == 302
    assert response.url == back
    student.student_profile.refresh_from_db()
    assert student.student_profile.open_to_future_roles is True


def test_a_foreign_next_goes_to_the_talent_page(client_for, student):
    response = client_for(student).post(CONSENT, {"next": "https://evil.example/"})
    assert response.url == reverse("talent:mine")


def test_only_students_and_only_by_post(client_for, student, mentor):
    assert client_for(mentor).post(CONSENT).status_code == 404
    assert client_for(student).get(CONSENT).status_code == 405
    student.student_profile.refresh_from_db()
    assert student.student_profile.open_to_future_roles is False
