import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from practicum.notifications import services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Every minute: record due reminders, queue daily digests, send the emails that are due. "
        "Any number of copies may run at once; each email is still sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run a single pass and exit.")
        parser.add_argument(
            "--interval", type=float, default=60, help="Seconds between passes (default 60)."
        )

    def handle(self, *args, once=False, interval=60, **options):
        worker = services.default_worker_id()
        if once:
            self._report(services.run_periodic_pass(worker=worker), options["verbosity"])
            return
        stop = threading.Event()
        # SIGTERM (systemd, `make run`'s Ctrl-C) ends the loop between passes, never mid-send.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Periodic notifications job {worker}: a pass every {interval:g} s.")
        while not stop.is_set():
            close_old_connections()
            try:
                self._report(services.run_periodic_pass(worker=worker), options["verbosity"])
            except Exception:
                # The database may be restarting; the next pass tries again.
                logger.exception("Periodic pass failed")
            stop.wait(interval)

    def _report(self, summary: dict, verbosity: int) -> None:
        if verbosity > 1 or (verbosity and any(summary.values())):
            self.stdout.write(", ".join(f"{name}: {n}" for name, n in summary.items()))
