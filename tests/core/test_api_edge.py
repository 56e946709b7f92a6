"""Under /api/v1 every error is JSON in one shape, and a bad token is a 401, never a CSRF 403."""

import json

import pytest
from django.test import Client

API = "/api/v1"


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert isinstance(body["code"], str) and body["message"]
    return body


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/no-such-route",
        f"{API}/engagements/-1",
        f"{API}/credentials/not-a-uuid",
        f"{API}/",
    ],
)
def test_unknown_routes_and_bad_converters_are_json_404(client, db, path):
    assert assert_error_shape(client.get(path), 404)["code"] == "not_found"


def test_malformed_json_is_json_400(client_for, student):
    response = client_for(student).patch(
        f"{API}/me/profile", data="{not json", content_type="application/json"
    )
    assert_error_shape(response, 400)


def test_wrong_method_is_json_405(client, db):
    response = client.delete(f"{API}/skills")
    body = assert_error_shape(response, 405)
    assert body["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_too_large_body_is_json_413(client_for, student, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = json.dumps({"about": "x" * 2_000})
    response = client_for(student).patch(
        f"{API}/me/profile", data=body, content_type="application/json"
    )
    assert assert_error_shape(response, 413)["code"] == "too_large"


def test_unsupported_body_type_is_json_415(client_for, student):
    response = client_for(student).patch(
        f"{API}/me/profile", data="<about/>", content_type="application/xml"
    )
    assert assert_error_shape(response, 415)["code"] == "unsupported_media_type"


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_a_bad_token_is_401_with_www_authenticate_on_any_method(db, method):
    client = Client(headers={"Authorization": "Bearer pct_not-a-real-token"})
    if method == "get":
        response = client.get(f"{API}/me/profile")
    else:
        response = getattr(client, method)(
            f"{API}/me/profile", data="{}", content_type="application/json"
        )
    if method == "post" or method == "delete":
        # No such operation: the method is refused before authentication.
        assert_error_shape(response, 405)
        return
    assert assert_error_shape(response, 401)["code"] == "unauthenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_bad_token_on_post_is_401_not_a_csrf_failure(db):
    client = Client(
        enforce_csrf_checks=True, headers={"Authorization": "Bearer pct_not-a-real-token"}
    )
    response = client.post(
        f"{API}/engagements/1/messages", data="{}", content_type="application/json"
    )
    assert_error_shape(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_valid_token_needs_no_csrf_token(api_client_for, student):
    client = api_client_for(student)
    client.handler.enforce_csrf_checks = True
    response = client.patch(
        f"{API}/me/profile", data=json.dumps({"headline": "Hi"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_a_session_write_without_csrf_token_is_refused(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    response = client.patch(
        f"{API}/me/profile", data=json.dumps({"headline": "Hi"}), content_type="application/json"
    )
    assert_error_shape(response, 403)


def test_anonymous_is_401_with_www_authenticate(client, db):
    response = client.get(f"{API}/me/profile")
    assert_error_shape(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


def test_web_pages_keep_their_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_crash_under_the_api_is_json_500(db, monkeypatch):
    from practicum.skills import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "search_skills", broken)
    client = Client(raise_request_exception=False)
    response = client.get(f"{API}/skills", {"q": "python"})
    assert assert_error_shape(response, 500)["code"] == "server_error"
