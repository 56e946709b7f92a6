import datetime
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.test import Client

from practicum.notifications import services, tokens
from practicum.notifications.kinds import Delivery
from practicum.notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db


def url_for(token: str) -> str:
    return f"/notifications/unsubscribe/{token}/"


def preferences_of(user) -> dict:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))


@pytest.fixture
def token(student):
    return tokens.make_unsubscribe_token(student, ["offer_made"])


def test_the_link_asks_before_it_unsubscribes(client, student, token):
    response = client.get(url_for(token))
    assert response.status_code == 200
    content = response.content.decode()
    assert student.email in content
    assert "You received an offer" in content
    assert '<form method="post">' in content
    assert preferences_of(student) == {}  # link scanners only GET


def test_confirming_switches_the_kind_off_without_logging_in(student, token, project):
    response = Client(enforce_csrf_checks=True).post(url_for(token))
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert preferences_of(student) == {"offer_made": Delivery.OFF}
    assert services.notify(student, "offer_made", project) is None
    Client().post(url_for(token))  # again: no harm
    assert preferences_of(student) == {"offer_made": Delivery.OFF}


def test_a_digest_link_switches_off_every_kind_it_names(student):
    token = tokens.make_unsubscribe_token(student, ["offer_made", "new_message"])
    Client().post(url_for(token))
    assert preferences_of(student) == {"offer_made": "off", "new_message": "off"}


def swap_payload(token: str, victim) -> str:
    """Keep the signature, point the payload at someone else."""
    _, timestamp, signature = token.split(":")
    payload = signing.b64_encode(f'{{"u":{victim.pk},"k":["offer_made"]}}'.encode()).decode()
    return f"{payload}:{timestamp}:{signature}"


def change_signature(token: str, victim) -> str:
    return token[:-2] + ("BB" if token.endswith("AA") else "AA")


@pytest.mark.parametrize(
    "change",
    [swap_payload, change_signature, lambda token, victim: "not-a-token"],
    ids=["payload swapped", "signature changed", "garbage"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_refused(client, student, owner, token, change, method):
    response = getattr(client, method)(url_for(change(token, owner)))
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_link_signed_for_something_else_is_refused(client, student):
    other_salt = signing.dumps({"u": student.pk, "k": ["offer_made"]}, salt="something.else")
    assert client.post(url_for(other_salt)).status_code == 400
    assert preferences_of(student) == {}


def test_an_expired_link_is_refused(client, student, monkeypatch):
    signed_at = time.time() - (tokens.MAX_AGE + datetime.timedelta(days=1)).total_seconds()
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(int(signed_at))
    )
    token = tokens.make_unsubscribe_token(student, ["offer_made"])
    monkeypatch.undo()
    response = client.post(url_for(token))
    assert response.status_code == 400
    assert preferences_of(student) == {}


def test_account_security_cannot_be_unsubscribed(client, student):
    token = tokens.make_unsubscribe_token(student, ["account_security"])
    assert client.post(url_for(token)).status_code == 400
    assert preferences_of(student) == {}


def test_a_link_for_a_deactivated_or_missing_account_is_refused(client, student, token):
    missing = tokens.make_unsubscribe_token(SimpleNamespace(pk=student.pk + 1000), ["offer_made"])
    assert client.post(url_for(missing)).status_code == 400
    student.is_active = False
    student.save()
    assert client.post(url_for(token)).status_code == 400
    assert not NotificationPreference.objects.exists()
