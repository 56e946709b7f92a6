"""The credential signing keys: list them, rotate the key file, or print a new key for
CREDENTIALS_SIGNING_KEYS."""

import json

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from practicum.credentials import keys


class Command(BaseCommand):
    help = (
        "List the credential signing keys (the first signs). --rotate puts a new key first in "
        "the key file and keeps the others, so credentials they signed still verify. --new "
        "prints a new private key (JWK) to put first in CREDENTIALS_SIGNING_KEYS."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rotate", action="store_true")
        group.add_argument("--new", action="store_true")

    def handle(self, *args, rotate=False, new=False, **options):
        if new:
            self.stdout.write(json.dumps(keys.new_key()))
            return
        try:
            if rotate:
                self.stdout.write(f"Signing with a new key: {keys.rotate()}")
            ring = keys.ring()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        for thumbprint in ring.public:
            role = "signs" if thumbprint == ring.thumbprint else "verifies"
            self.stdout.write(f"{keys.kid_of(thumbprint)}  {role}")
