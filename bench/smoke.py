"""Smoke test of the production topology: gunicorn and two RQ task workers on PostgreSQL and
Redis, driven over real HTTP through one journey (sign up, publish, apply, offer, accept, sign,
message), with the emails caught by an SMTP server of its own.

    .venv/bin/python bench/smoke.py          # or: make smoke

It uses its own PostgreSQL database (dropped and created anew) and its own Redis database
number (flushed), so it can run beside anything else. Every wait has a deadline; the whole run
ends within DEADLINE seconds or fails. Exit status 0 and a closing "1 passed, 0 failed" line
when the journey went through.

Environment: SMOKE_POSTGRES (default postgres://postgres@127.0.0.1:5432), SMOKE_DB
(practicum_smoke), SMOKE_REDIS_URL (redis://127.0.0.1:6379/14).
"""

import contextlib
import datetime
import email
import email.policy
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

import httpx
import psycopg
from aiosmtpd.controller import Controller
from redis import Redis
from rq.registry import FinishedJobRegistry

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
POSTGRES = os.environ.get("SMOKE_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("SMOKE_DB", "practicum_smoke")
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "smoke-test-passphrase-31"
DEADLINE = 110  # seconds for the whole run
WAIT = 30  # seconds for any single wait (the server starting, an email arriving)
STARTED = time.monotonic()


class SmokeFailure(Exception):
    pass


def step(text: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.1f}s] {text}", flush=True)


def wait_for(what: str, check, timeout: float = WAIT):
    """Poll `check` until it returns something truthy; SmokeFailure after `timeout` seconds or
    once the run's own deadline has passed."""
    end = min(time.monotonic() + timeout, STARTED + DEADLINE)
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > end:
            raise SmokeFailure(f"Gave up waiting for {what}.")
        time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Mail ---------------------------------------------------------------------------------------


class Mailbox:
    """What the SMTP server received, as parsed messages, readable from the main thread."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str, subject_part: str):
        with self.lock:
            return [
                m
                for m in self.messages
                if address in m["To"] and subject_part.lower() in m["Subject"].lower()
            ]

    def wait(self, address: str, subject_part: str) -> email.message.EmailMessage:
        found = wait_for(
            f"an email to {address} about “{subject_part}”", lambda: self.to(address, subject_part)
        )
        return found[0]


def text_of(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain", "html")).get_content()


# --- Processes ----------------------------------------------------------------------------------


class Stack:
    """The processes under test, each in its own process group so it can be stopped whole."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs, self.processes = env, logs, []

    def run(self, *args: str, timeout: float = 60) -> None:
        done = subprocess.run(
            args, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode:
            raise SmokeFailure(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self, name: str, *args: str) -> None:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.processes.append((name, process, log))

    def check_alive(self) -> None:
        for name, process, _ in self.processes:
            if process.poll() is not None:
                raise SmokeFailure(f"{name} exited with {process.returncode}; see its log.")

    def stop(self) -> None:
        """SIGTERM, then (an idle RQ worker may hang in its warm shutdown) a second SIGTERM,
        which RQ takes as a cold shutdown, then SIGKILL."""
        for attempt, grace in ((signal.SIGTERM, 5), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            running = [(n, p) for n, p, _ in self.processes if p.poll() is None]
            if not running:
                break
            if attempt == signal.SIGKILL:
                step(f"killing what did not stop: {', '.join(n for n, _ in running)}")
            for _, process in running:
                os.killpg(process.pid, attempt)
            end = time.monotonic() + grace
            for _, process in running:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=max(end - time.monotonic(), 0.1))
        for _, _, log in self.processes:
            log.close()

    def tail_logs(self) -> None:
        for name, _, _ in self.processes:
            lines = (self.logs / f"{name}.log").read_text(errors="replace").splitlines()
            print(f"--- {name} (last lines)", *lines[-25:], sep="\n")


# --- HTTP ---------------------------------------------------------------------------------------


class Browser:
    """One person's HTTP session: cookies, the CSRF token, forms and the JSON API."""

    def __init__(self, base: str):
        self.http = httpx.Client(base_url=base, timeout=15, follow_redirects=True)

    def form_token(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise SmokeFailure("No CSRF token in the form.")
        return match.group(1)

    def submit(self, path: str, data: dict, *, page: str | None = None) -> httpx.Response:
        """GET the page with the form, POST the form with its CSRF token."""
        form = self.http.get(page or path)
        form.raise_for_status()
        response = self.http.post(
            path, data={"csrfmiddlewaretoken": self.form_token(form.text), **data}
        )
        if response.status_code >= 400:
            raise SmokeFailure(f"POST {path}: {response.status_code}\n{response.text[:2000]}")
        return response

    def api(self, method: str, path: str, payload: dict | None = None, expect: int = 200):
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", "")}
        response = self.http.request(
            method, f"/api/v1{path}", json=payload, headers=headers if method != "GET" else None
        )
        if response.status_code != expect:
            raise SmokeFailure(
                f"{method} {path}: {response.status_code}, expected {expect}\n{response.text}"
            )
        return response.json()


def sign_up(browser: Browser, mailbox: Mailbox, **fields) -> None:
    """Sign up, then confirm the address with the link the web process emailed (which logs in)."""
    kind = fields["account_type"]
    browser.submit(
        "/accounts/signup/",
        {**fields, "password1": PASSWORD, "password2": PASSWORD},
        page=f"/accounts/signup/?type={kind}",
    )
    message = mailbox.wait(fields["email"], "confirm")
    link = re.search(r"https?://\S+/accounts/confirm-email/[^\s/]+/", text_of(message))
    if not link:
        raise SmokeFailure(f"No confirmation link in:\n{text_of(message)}")
    path = httpx.URL(link.group(0)).path
    browser.submit(path, {})
    me = browser.api("GET", "/me")
    if me["email"] != fields["email"]:
        raise SmokeFailure(f"Not logged in as {fields['email']} after confirming: {me}")


def journey(base: str, mailbox: Mailbox) -> dict:
    owner, student = Browser(base), Browser(base)
    suffix = secrets.token_hex(3)
    owner_email, student_email = f"owner-{suffix}@smoke.example", f"ana-{suffix}@smoke.example"

    step("sign up: an organization owner and a student, each confirming their address")
    sign_up(
        owner,
        mailbox,
        account_type="organization",
        organization_name=f"Smoke Analytics {suffix}",
        name="Olga Owner",
        email=owner_email,
    )
    sign_up(student, mailbox, account_type="student", name="Ana Student", email=student_email)
    me = owner.api("GET", "/me")
    slug = me["organizations"][0]["organization"]

    step("publish: the owner writes a project and publishes it")
    today = datetime.date.today()
    project = owner.api(
        "POST",
        f"/organizations/{slug}/projects",
        {
            "title": "Analyse our customer survey",
            "summary": "Turn 300 answers into three recommendations.",
            "description": "We ran a **survey** and need help.",
            "objectives": ["Clean the data", "Find three themes"],
            "learning_outcomes": ["Survey analysis"],
            "starts_on": str(today + datetime.timedelta(days=14)),
            "ends_on": str(today + datetime.timedelta(days=41)),
            "application_deadline": str(today + datetime.timedelta(days=7)),
            "estimated_hours": 40,
            "hours_per_week": 10,
            "compensation_amount": 60000,
            "currency": "EUR",
            "capacity": 1,
            "work_mode": "remote",
            "timezone": "Europe/Amsterdam",
            "mentor": me["id"],
            "checkin_cadence": "weekly",
            "checkin_weekday": 2,
            "checkin_time": "14:30",
            "response_time_hours": 24,
            "deliverables": [
                {
                    "title": "Findings report",
                    "description": "Five pages.",
                    "due_on": str(today + datetime.timedelta(days=41)),
                }
            ],
        },
        expect=201,
    )
    owner.api("POST", f"/projects/{project['id']}/publish")

    step("apply: the student finds the project and applies")
    found = student.api("GET", "/projects")["results"]
    if project["id"] not in [p["id"] for p in found]:
        raise SmokeFailure("The published project is not among the open projects.")
    application = student.api(
        "POST",
        f"/projects/{project['id']}/applications",
        {
            "pitch": "I analysed survey data for my statistics course.",
            "availability_confirmed": True,
        },
        expect=201,
    )

    step("offer: the owner makes an offer; a task worker emails the student")
    owner.api("POST", f"/applications/{application['id']}/offer", {"message": "Welcome!"})
    mailbox.wait(student_email, "You have an offer")

    step("accept: the student accepts; the engagement waits for both signatures")
    accepted = student.api("POST", f"/applications/{application['id']}/accept")
    engagement_id = accepted["engagement_id"]
    mailbox.wait(owner_email, "Offer accepted")

    step("sign: both sides sign the agreement; the engagement is active")
    agreement = student.api("GET", f"/engagements/{engagement_id}/agreement")
    version = agreement["number"]
    student.api(
        "POST",
        f"/engagements/{engagement_id}/agreement/sign",
        {
            "version": version,
            "full_name": "Ana Student",
            "student_hours_per_week": 10,
            "student_response_time_hours": 24,
        },
    )
    owner.api(
        "POST",
        f"/engagements/{engagement_id}/agreement/sign",
        {"version": version, "full_name": "Olga Owner"},
    )
    state = student.api("GET", f"/engagements/{engagement_id}")["state"]
    if state != "active":
        raise SmokeFailure(f"The engagement is {state!r} after both signed.")

    step("message: the student asks a question; the owner is notified and reads it")
    student.api(
        "POST",
        f"/engagements/{engagement_id}/messages",
        {"body": "Which survey tool did you use?", "is_question": True},
        expect=201,
    )
    thread = owner.api("GET", f"/engagements/{engagement_id}/messages")
    bodies = json.dumps(thread)
    if "Which survey tool did you use?" not in bodies:
        raise SmokeFailure("The owner does not see the student's question.")
    # Messages are emailed in 15-minute batches; the owner's bell has it at once.
    kinds = [n["kind"] for n in owner.api("GET", "/notifications")["results"]]
    if "new_message" not in kinds:
        raise SmokeFailure(f"No new_message notification for the owner: {kinds}")
    return {"owner": owner_email, "student": student_email}


def main() -> int:
    step(f"database {DATABASE} (new), Redis {REDIS_URL} (flushed)")
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()

    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logs = Path(tempfile.mkdtemp(prefix="practicum-smoke-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "DEBUG": "0",
        "HTTPS": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": base,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "CREDENTIALS_KEY_FILE": str(logs / "credential-keys.json"),
        "PYTHONUNBUFFERED": "1",
    }
    stack = Stack(env, logs)
    try:
        step("migrate")
        stack.run(PYTHON, "manage.py", "migrate", "--noinput", timeout=DEADLINE)
        step(f"start gunicorn (2 workers) on {base} and 2 RQ workers; logs in {logs}")
        stack.start(
            "gunicorn", GUNICORN, "practicum.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", "2", "--control-socket", str(logs / "gunicorn.ctl"),
        )  # fmt: skip
        for n in (1, 2):
            stack.start(
                f"rqworker-{n}", PYTHON, "manage.py", "rqworker",
                "--job-class", "django_tasks_rq.Job", "default",
            )  # fmt: skip

        def up():
            stack.check_alive()
            try:
                return httpx.get(f"{base}/", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_for("the web server to answer", up)
        people = journey(base, mailbox)

        step("the worker emailed both sides that the agreement is ready")
        for address in people.values():
            mailbox.wait(address, "Agreement ready to sign")
        stack.check_alive()
        finished = FinishedJobRegistry("default", connection=redis).count
        # The web processes only enqueue: the emails above were sent by the RQ workers.
        if finished < 3:
            raise SmokeFailure(f"Only {finished} tasks finished on the RQ workers.")
        step(f"{len(mailbox.messages)} emails delivered, {finished} tasks run by the RQ workers")
    except Exception as exc:
        print(f"SMOKE FAILED: {type(exc).__name__}: {exc}", flush=True)
        if not isinstance(exc, SmokeFailure):
            traceback.print_exc()
        stack.tail_logs()
        stack.stop()
        smtp.stop()
        print("0 passed, 1 failed")
        return 1
    stack.stop()
    smtp.stop()
    step("done")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
