"""The permission matrix of the whole workspace: every page and every API endpoint of an
engagement, asked by each role.

Pages and endpoints are found from the URL configuration and the OpenAPI schema, not listed by
hand, so a section added later is covered without touching this file. Sub-resources (a check-in,
a submission, a message…) get the id of a real object made through the services.

Who gets what:
- the parties (student, mentor, owner) read: 200;
- everyone else is told nothing exists: 404 (an endpoint may reject a malformed body first,
  422, which tells nothing either). That includes another mentor of the organization, a member
  of another organization, another student, staff of another institution, career-center staff
  of the student's institution even when the student is verified there and consents (they see
  outcomes in the careers app, never the workspace), and a platform admin (superuser), who is
  no party and does support work in the Django admin;
- anonymous: pages send to the login page, the API answers 401.
"""

import datetime
import functools
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from practicum.api.urls import api

pytestmark = pytest.mark.django_db

PARTIES = {"student", "mentor", "owner"}
# URL namespaces of the workspace (engagement-scoped pages).
NAMESPACES = {
    "engagements",
    "workspace",
    "checkins",
    "deliverables",
    "messaging",
    "progress",
    "learning",
    "reviews",
    "completion",
}


def _patterns(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, prefix + str(entry.pattern), entry


# Reads that need a query to mean anything.
QUERIES = {"agreement/diff": "?from=1&to=1"}


def _with_query(url: str) -> str:
    return url + next((q for part, q in QUERIES.items() if url.rstrip("/").endswith(part)), "")


def workspace_pages(*, sub_resources: bool = False) -> list[str]:
    """Routes like engagements/<int:pk>/checkins/ whose only parameter is the engagement (or,
    with sub_resources, those that also address an object in it)."""
    routes = []
    for namespace, route, _ in _patterns(get_resolver()):
        if namespace not in NAMESPACES or not route.startswith("engagements/<int:pk>/"):
            continue
        if (len(re.findall(r"<[^>]+>", route)) > 1) == sub_resources:
            routes.append(route)
    return sorted(set(routes), key=lambda route: ("remove" in route, route))


@functools.cache
def openapi() -> dict:
    return api.get_openapi_schema()


def engagement_operations() -> list[tuple[str, str]]:
    """(method, path) of every API operation under /engagements/{engagement_id}."""
    schema = openapi()
    operations = []
    for path, methods in schema["paths"].items():
        if "{engagement_id}" not in path:
            continue
        for method in methods:
            operations.append((method.upper(), path))
    # Deleting last, so the other calls still find what they address.
    return sorted(operations, key=lambda op: (op[0] == "DELETE", op))


def _resolve(schema, node):
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def example_value(schema, node, name=""):
    """A value that passes validation for a schema node, so permission checks are reached."""
    node = _resolve(schema, node)
    if "anyOf" in node:
        return example_value(schema, next(n for n in node["anyOf"] if n.get("type") != "null"))
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        return {
            key: example_value(schema, sub, key)
            for key, sub in node.get("properties", {}).items()
            if key in node.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return max(1, node.get("minimum", 1))
    if kind == "boolean":
        return False
    fmt = node.get("format")
    if fmt == "date-time":
        return (timezone.now() + datetime.timedelta(days=3)).isoformat()
    if fmt == "date":
        return (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    if fmt in ("uri", "url"):
        return "https://example.com/work"
    return "Example text" if "name" not in name else "Example"


def request_body(method, path):
    schema = openapi()
    operation = schema["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return "json", example_value(schema, content["application/json"]["schema"])
    if content:
        form = next(iter(content.values()))["schema"]
        data = example_value(schema, form)
        return "form", {k: v for k, v in data.items() if not isinstance(v, (dict, list))}
    return "none", None


@pytest.fixture
def engagement(active_engagement, staff, student):
    """The active engagement, its student verified at the staff's institution and consenting to
    share outcomes with it: the most a career center can have, and still no workspace."""
    from practicum.careers import services as careers

    institution = staff.staff_roles.get().institution
    enrollment = careers.request_enrollment(student, institution=institution)
    careers.approve_enrollment(enrollment, by=staff)
    careers.give_consent(student, institution=institution)
    return active_engagement


def _client(role, people, client_for):
    from django.test import Client

    person = people[role]
    return Client() if person is None else client_for(person)


def test_the_matrix_finds_every_section():
    pages = workspace_pages()
    for section in ("checkins", "deliverables", "messages", "updates", "learning", "timeline"):
        assert any(section in route for route in pages), section
    paths = {path for _, path in engagement_operations()}
    for section in ("checkins", "deliverables", "messages", "updates", "learning", "timeline"):
        assert any(section in path for path in paths), section


ROLES = sorted(
    PARTIES
    | {"other_mentor", "outsider", "other_student", "staff", "other_staff", "superuser"}
    | {"anonymous"}
)


def _expect_read(role, response, what):
    if role == "anonymous":
        assert response.status_code in (302, 401), what
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], what
    elif role in PARTIES:
        assert response.status_code == 200, (what, response.status_code)
    else:
        assert response.status_code == 404, (what, response.status_code)


def _expect_write(role, response, what):
    status = response.status_code
    if role == "anonymous":
        assert status in (302, 401), (what, status)
        if status == 302:
            assert "/accounts/login/" in response["Location"], what
    elif role in PARTIES:
        assert status not in (401, 404) and status < 500, (what, status)
    else:
        assert status in (404, 422), (what, status)


@pytest.mark.parametrize("role", ROLES)
def test_pages(role, engagement, people, client_for):
    client = _client(role, people, client_for)
    probe = client_for(people["student"])
    for route in workspace_pages():
        url = _with_query("/" + route.replace("<int:pk>", str(engagement.pk)))
        if probe.get(url).status_code == 405:  # a form's target: POST only
            _expect_write(role, client.post(url, {}), url)
        else:
            _expect_read(role, client.get(url), url)


@pytest.mark.parametrize("role", ROLES)
def test_api(role, engagement, people, client_for):
    client = _client(role, people, client_for)
    for method, path in engagement_operations():
        if re.findall(r"{[^}]+}", path) != ["{engagement_id}"]:
            continue  # sub-resources: see test_api_sub_resources
        url = _with_query(path.replace("{engagement_id}", str(engagement.pk)))
        if method == "GET":
            _expect_read(role, client.get(url), url)
            continue
        kind, body = request_body(method, path)
        call = getattr(client, method.lower())
        if kind == "json":
            response = call(url, body, content_type="application/json")
        elif kind == "form":
            response = call(url, body)
        else:
            response = call(url)
        _expect_write(role, response, (method, url))


@pytest.fixture
def sub_resources(engagement, student, mentor, settings, tmp_path):
    """One real object of every kind an endpoint addresses, made through the services, and
    the value each path parameter takes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from practicum.engagements import agreements
    from practicum.workspace.checkins import services as checkins
    from practicum.workspace.checkins.models import CheckIn
    from practicum.workspace.deliverables import services as deliverables
    from practicum.workspace.learning import services as learning
    from practicum.workspace.messaging import services as messaging
    from practicum.workspace.progress import services as progress
    from tests.factories import SkillFactory

    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    pdf = SimpleUploadedFile("plan.pdf", content)
    submission = deliverables.submit(engagement, "d1", by=student, file=pdf, note="Draft")
    skill = SkillFactory()
    learning.record_practised_skill(engagement, by=mentor, skill_id=skill.pk)
    amendment = agreements.propose_amendment(
        engagement,
        by=mentor,
        changes={"hours_per_week": 8},
        reason="Fewer hours",
        full_name=mentor.name,
    )
    checkin = CheckIn.objects.filter(engagement=engagement).first()
    agenda = SimpleUploadedFile("agenda.pdf", content)
    message = messaging.post_message(
        engagement, by=student, body="When do we meet?", is_question=True, files=[agenda]
    )
    return {
        "number": amendment.number,
        "checkin_id": checkin.pk,
        # The student's agenda point: its author edits or deletes it (issue 12).
        "point_id": checkins.add_agenda_item(checkin, by=student, text="Scope").pk,
        "key": "d1",
        "submission_id": submission.pk,
        "message_id": message.pk,
        "attachment_id": message.attachments.get().pk,
        "update_id": progress.post_update(
            engagement, by=student, done="Read the brief", hours=2
        ).pk,
        "item_id": learning.add_item(
            engagement, by=student, kind="resource", title="Docs", url="https://example.com"
        ).pk,
        "skill_id": skill.pk,
        # The final round always exists (the mid-point one goes once all work is accepted).
        "round": "final",
    }


# Reads that may rightly answer 404 to a reader, with a code saying why (never "not_found",
# which is what strangers get): a review not written yet, or not revealed yet.
EMPTY_READS = {"not_submitted", "hidden"}


@pytest.mark.parametrize("role", ROLES)
def test_api_sub_resources(role, engagement, sub_resources, people, client_for):
    client = _client(role, people, client_for)
    checked = 0
    for method, path in engagement_operations():
        names = re.findall(r"{([^}]+)}", path)
        if names == ["engagement_id"]:
            continue
        url = path.replace("{engagement_id}", str(engagement.pk))
        for name in names[1:]:
            url = url.replace("{" + name + "}", str(sub_resources[name]))
        checked += 1
        if method == "GET":
            response = client.get(url)
            if role in PARTIES and response.status_code == 404:
                assert response.json()["code"] in EMPTY_READS, url
            else:
                _expect_read(role, response, url)
            if role not in PARTIES and role != "anonymous":
                assert response.json()["code"] == "not_found", url
            continue
        kind, body = request_body(method, path)
        call = getattr(client, method.lower())
        if kind == "json":
            response = call(url, body, content_type="application/json")
        elif kind == "form":
            response = call(url, body)
        else:
            response = call(url)
        _expect_write(role, response, (method, url))
    assert checked >= 20  # every sub-resource endpoint listed in the module docstring's sense


@pytest.mark.parametrize("role", ROLES)
def test_pages_sub_resources(role, engagement, sub_resources, people, client_for):
    client = _client(role, people, client_for)
    probe = client_for(people["student"])
    routes = workspace_pages(sub_resources=True)
    assert len(routes) >= 15
    for route in routes:
        url = "/" + route.replace("<int:pk>", str(engagement.pk))
        for name in re.findall(r"<(?:\w+:)?(\w+)>", url):
            url = re.sub(rf"<(?:\w+:)?{name}>", str(sub_resources[name]), url)
        if probe.get(url).status_code == 405:
            _expect_write(role, client.post(url, {}), url)
        elif url.endswith("/edit/"):  # a form to change something: a page for writers
            _expect_write(role, client.get(url), url)
        else:
            _expect_read(role, client.get(url), url)
