from django.core.management.base import BaseCommand

from practicum.reciprocity import services


class Command(BaseCommand):
    help = (
        "Rebuild the stored reciprocity index (one row per engagement) from the event log: "
        "after loading data in bulk and after deploys that change how the index is computed."
    )

    def handle(self, *args, **options):
        count = services.recompute_all()
        self.stdout.write(f"Recomputed the reciprocity index of {count} engagements.")
