"""The embedded default and the scaled-out topology are chosen by REDIS_URL alone."""

import json
import os
import subprocess
import sys

SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.CACHES['default']['BACKEND'], s.TASKS['default']['BACKEND'], "
    "'django_tasks_rq' in s.INSTALLED_APPS, getattr(s, 'RQ_QUEUES', None)]))"
)


def settings_with(**env) -> list:
    environ = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environ.update(DJANGO_SETTINGS_MODULE="practicum.settings", **env)
    out = subprocess.run(
        [sys.executable, "-c", SHOW], env=environ, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_without_redis_the_cache_is_per_process_and_the_queue_in_the_database():
    assert settings_with() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django_tasks_db.DatabaseBackend",
        False,
        None,
    ]


def test_with_redis_both_the_cache_and_the_task_queue_use_it():
    url = "redis://cache.internal:6379/2"
    assert settings_with(REDIS_URL=url) == [
        "django_redis.cache.RedisCache",
        "django_tasks_rq.RQBackend",
        True,
        {"default": {"URL": url}},
    ]


def test_a_web_process_starts_with_its_views_loaded_and_out_of_the_collectors_reach():
    environ = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environ.update(DJANGO_SETTINGS_MODULE="practicum.settings")
    show = (
        "import gc, json, sys; import practicum.wsgi; "
        "print(json.dumps([gc.get_freeze_count(), len(gc.get_objects()), "
        "'practicum.engagements.views' in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", show], env=environ, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    frozen, tracked, views_loaded = json.loads(out.stdout)
    assert views_loaded
    # Nearly everything the start made is frozen: a full collection walks only what is newer.
    assert frozen > 100_000
    assert tracked < frozen / 10
