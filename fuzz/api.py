"""Fuzz the API with schemathesis against a live server on the demo data.

    .venv/bin/python fuzz/api.py [--examples 5] [--seed 13]      (or `make fuzz`)

A fresh SQLite database in a temporary folder gets the demo data; the server runs with
production-like settings (DEBUG off, plain HTTP). Schemathesis then tests every operation of
the published OpenAPI document as anonymous, as a demo student and as a demo organization
owner (each with a personal API token), in all its phases (the costly coverage phase once, as
the owner, within --coverage-time seconds), with a fixed seed and a bounded number of
examples. It fails on any 5xx, any response that does not match its declared schema, and any
status code the document does not declare. Exits non-zero on failure.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCHEMATHESIS = str(Path(PYTHON).with_name("st"))
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
RANDOM_PHASES = "examples,fuzzing,stateful"
OWNER = "nora@northwind.example"
TOKEN_SCRIPT = """
from practicum.accounts.models import User
from practicum.accounts.services import create_api_token
student = User.objects.filter(email__endswith="@students.example").order_by("pk").first()
owner = User.objects.get(email="{owner}")
print("TOKEN", create_api_token(student, name="fuzz")[1])
print("TOKEN", create_api_token(owner, name="fuzz")[1])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return done.stdout or ""


def wait_until_up(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer {url} in time.")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=5, help="per operation and phase")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--coverage-time", type=int, default=200, help="seconds, at most")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="practicum-fuzz-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "practicum.settings",
            "DATABASE_URL": f"sqlite:///{folder}/fuzz.sqlite3",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DEBUG": "0",
            "HTTPS": "off",
            "MEDIA_ROOT": f"{folder}/media",
            "CREDENTIALS_KEY_FILE": f"{folder}/credential-keys.json",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "load_skills")
        manage(env, "seed_demo")
        output = manage(env, "shell", "-c", TOKEN_SCRIPT.format(owner=OWNER), capture=True)
        student_token, owner_token = (
            line.split()[1] for line in output.splitlines() if line.startswith("TOKEN ")
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(f"{base}/api/v1/openapi.json", time.monotonic() + 60)
            print(f"Demo data and server ready in {time.monotonic() - started:.0f} s")
            failed = []
            options = [
                *("--checks", CHECKS, "--seed", str(args.seed)),
                *("--max-examples", str(args.examples), "--generation-deterministic"),
                *("--no-shrink", "--request-timeout", "30", "--workers", "1"),
                *("--suppress-health-check", "all"),
            ]
            student = ["-H", f"Authorization: Bearer {student_token}"]
            owner = ["-H", f"Authorization: Bearer {owner_token}"]
            # Each identity gets examples, fuzzing and stateful runs; the coverage phase (every
            # boundary and negative value of every parameter, ~6,000 requests) runs once, as the
            # owner, who reaches the validation of the most operations, within a time budget.
            plan = {
                "anonymous": ["--phases", RANDOM_PHASES],
                "student": ["--phases", RANDOM_PHASES, *student],
                "owner": ["--phases", RANDOM_PHASES, *owner],
                "owner-coverage": [
                    "--phases",
                    "coverage",
                    "--max-time",
                    str(args.coverage_time),
                    *owner,
                ],
            }
            # The runs go at once (the server answers each request in a thread).
            runs = {
                who: subprocess.Popen(
                    [SCHEMATHESIS, "run", f"{base}/api/v1/openapi.json", *options, *extra],
                    # Schemathesis keeps a cache where it runs: a throwaway one, so every run
                    # starts alike and nothing lands in the project folder.
                    cwd=folder,
                    env=env,
                    stdout=open(Path(folder) / f"{who}.log", "w"),  # noqa: SIM115
                    stderr=subprocess.STDOUT,
                )
                for who, extra in plan.items()
            }
            for who, run in runs.items():
                code = run.wait()
                print(f"== {who}: exit {code}")
                print((Path(folder) / f"{who}.log").read_text())
                if code != 0:
                    failed.append(who)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"Fuzzing took {time.monotonic() - started:.0f} s in all.")
    if failed:
        print(f"Failures as: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
