from django.utils import timezone

from practicum.core.files import attachment
from practicum.core.loading import visible_or_404
from practicum.privacy.models import DataExport


def exports_of(user):
    """The person's exports, newest first (a queryset: pages slice it)."""
    return DataExport.objects.filter(user=user).order_by("-requested_at", "-pk")


def downloadable_export(user, pk: int) -> DataExport:
    """A ready, unexpired export of `user`'s own; a 404 for anything else (someone else's, one
    still being prepared, one past its date)."""
    export = (
        DataExport.objects.filter(
            pk=pk, user=user, status=DataExport.Status.READY, expires_at__gt=timezone.now()
        )
        .only("pk", "file", "ready_at", "expires_at")
        .first()
    )
    return visible_or_404(export, what="export")


def export_download(user, pk: int):
    """The ZIP of a downloadable export of `user`'s, for the page and the API alike."""
    export = downloadable_export(user, pk)
    return attachment(export.file, filename=export.download_name, content_type="application/zip")
