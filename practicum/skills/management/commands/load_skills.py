from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practicum.skills.services import DEFAULT_TAXONOMY_PATH, InvalidTaxonomy, load_taxonomy


class Command(BaseCommand):
    help = "Create or update the skill taxonomy from its data file. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=DEFAULT_TAXONOMY_PATH,
            help="Taxonomy JSON file (default: the one shipped with the app).",
        )

    def handle(self, *args, path, **options):
        try:
            counts = load_taxonomy(path)
        except InvalidTaxonomy as exc:
            raise CommandError(exc.message) from exc
        categories = counts["categories"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Skills: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged. "
                f"Categories: {categories['created']} created, {categories['updated']} updated, "
                f"{categories['unchanged']} unchanged."
            )
        )
        if counts["not_in_file"]:
            self.stdout.write(
                self.style.WARNING(
                    f"{counts['not_in_file']} skill(s) in the database are not in {path}; "
                    "they were left as they are."
                )
            )
