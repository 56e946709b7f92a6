"""Every page a person can reach by following links answers without a server error.

The demo world has projects, applications and engagements in every state; each role follows
every internal link two levels deep from the home page.
"""

import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/accounts/logout", "/admin/", "/api/v1/docs")


@pytest.fixture
def demo_world():
    call_command("load_skills", verbosity=0)
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize(
    "email",
    [
        None,
        "ana.silva@students.example",
        "nora@northwind.example",
        "mateo@northwind.example",
        "carla@riverside.example",
    ],
)
def test_no_reachable_page_fails(demo_world, email):
    client = Client()
    if email:
        assert client.login(email=email, password="practicum-demo")
    seen, frontier, failures = set(), ["/"], []
    for _depth in range(3):
        next_frontier = []
        for url in frontier:
            if url in seen or url.startswith(SKIP) or len(seen) >= 250:
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code >= 500:
                failures.append((url, response.status_code))
            if response.get("Content-Type", "").startswith("text/html"):
                next_frontier += LINK.findall(response.content.decode())
        frontier = next_frontier
    assert failures == []
    assert len(seen) > 10
