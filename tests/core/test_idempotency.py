"""The one idempotency mechanism (practicum.core.idempotency): keys per person, action and
object; the first result comes back; a failed action leaves no key; malformed keys are refused."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory

from practicum.core import idempotency
from practicum.core.errors import Conflict
from practicum.core.models import IdempotencyKey
from practicum.workspace.progress import services
from practicum.workspace.progress.models import ProgressUpdate

pytestmark = pytest.mark.django_db


def post(engagement, person, key, done="Drafted the report."):
    return services.post_update(engagement, by=person, done=done, hours="1", idempotency_key=key)


class TestKeyOf:
    def test_the_header_first_then_the_form_token(self):
        factory = RequestFactory()
        both = factory.post("/", {"form_token": "form"}, headers={"Idempotency-Key": "header"})
        assert idempotency.key_of(both) == "header"
        assert idempotency.key_of(factory.post("/", {"form_token": "form"})) == "form"
        assert idempotency.key_of(factory.post("/", {})) is None

    @pytest.mark.parametrize("key", ["with space", "x" * 101, "é", "tab\tkey"])
    def test_a_malformed_key_is_refused(self, key):
        request = RequestFactory().post("/", {"form_token": key})
        with pytest.raises(ValidationError) as caught:
            idempotency.key_of(request)
        assert "idempotency_key" in caught.value.error_dict


class TestOnce:
    def test_the_same_key_returns_the_first_result(self, active_engagement, student):
        key = str(uuid.uuid4())
        first = post(active_engagement, student, key)
        second = post(active_engagement, student, key, done="Something else entirely.")
        assert second.pk == first.pk and second.done == "Drafted the report."
        assert ProgressUpdate.objects.count() == 1
        claim = IdempotencyKey.objects.get()
        assert (claim.scope, claim.result_model, claim.result_id) == (
            f"progress.post_update:{active_engagement.pk}",
            "progress.ProgressUpdate",
            first.pk,
        )

    def test_no_key_creates_every_time(self, active_engagement, student):
        post(active_engagement, student, None)
        post(active_engagement, student, None)
        assert ProgressUpdate.objects.count() == 2
        assert not IdempotencyKey.objects.exists()

    def test_a_failed_action_leaves_no_key(self, active_engagement, student):
        with pytest.raises(ValidationError):
            post(active_engagement, student, "k", done="")
        assert not IdempotencyKey.objects.exists()
        assert post(active_engagement, student, "k").pk is not None

    def test_a_refused_person_leaves_no_key(self, active_engagement, outsider):
        from practicum.core.errors import ServiceError

        with pytest.raises(ServiceError):
            post(active_engagement, outsider, "k")
        assert not IdempotencyKey.objects.exists()

    def test_keys_belong_to_one_person(self, active_engagement, student, mentor):
        from practicum.workspace.progress.services import comment_on_update

        update = post(active_engagement, student, None)
        mine = comment_on_update(update, by=student, body="Mine", idempotency_key="k")
        theirs = comment_on_update(update, by=mentor, body="Theirs", idempotency_key="k")
        assert mine.pk != theirs.pk

    def test_a_deleted_first_result_is_a_conflict(self, active_engagement, student):
        first = post(active_engagement, student, "k")
        ProgressUpdate.objects.filter(pk=first.pk).delete()
        with pytest.raises(Conflict) as caught:
            post(active_engagement, student, "k")
        assert caught.value.code == "already_submitted"


def test_the_form_token_tag_emits_a_fresh_uuid_each_time():
    template = Template("{% load practicum %}{% form_token %}|{% form_token %}")
    first, second = template.render(Context()).split("|")
    assert first.startswith('<input type="hidden" name="form_token" value="')
    assert first != second
    uuid.UUID(first.split('value="')[1].split('"')[0])


def test_the_periodic_job_forgets_old_keys(active_engagement, student):
    import datetime

    from django.utils import timezone

    from practicum.notifications.services import run_periodic_pass

    post(active_engagement, student, "old")
    post(active_engagement, student, "new")
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - idempotency.KEEP - datetime.timedelta(minutes=1)
    )
    run_periodic_pass()
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_with_one_key_make_one_record(concurrently, active_engagement, student):
    """A double click whose two requests arrive at once: the second waits on the key's unique
    constraint and returns the first one's update."""
    results = concurrently.run(
        [lambda: post(active_engagement, student, "same").pk for _ in range(4)]
    )
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert concurrently.read(lambda: ProgressUpdate.objects.count()) == 1
