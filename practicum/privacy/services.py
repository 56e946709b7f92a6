"""Writes for a person's own data: asking for an export, building it (a background task)."""

import io
import json
import logging
import uuid
import zipfile
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from practicum.core.errors import Conflict
from practicum.notifications.services import notify
from practicum.privacy import collect
from practicum.privacy.models import EXPORT_STATES, KEEP_FOR, DataExport

log = logging.getLogger(__name__)

README = """Your Practicum data, as of {at}.

Each file is JSON (UTF-8): account.json (your account and memberships), profile.json
(students), applications.json, engagements.json, agreements_signed.json (the terms of every
version you signed), messages.json and progress_updates.json (of the engagements you took part
in), reviews.json (what you wrote, and what you received once revealed), credentials.json (each
credential as issued, with its signed VC-JWT) and notifications.json. The profile folder
holds your photo (as we keep it) and your CV, if you uploaded them.
"""


@transaction.atomic
def request_export(user) -> DataExport:
    """A new export for `user`, built by the task worker; one at a time."""
    if (
        DataExport.objects.select_for_update()
        .filter(user=user, status=DataExport.Status.PENDING)
        .exists()
    ):
        raise Conflict(
            "export_pending",
            "Your data is being prepared: we will email you when it is ready.",
        )
    _forget_expired(user)
    export = DataExport.objects.create(user=user)
    from practicum.privacy.tasks import build_export_task

    transaction.on_commit(partial(build_export_task.enqueue, export.pk), robust=True)
    return export


def _forget_expired(user) -> None:
    for export in DataExport.objects.filter(user=user, expires_at__lte=timezone.now()):
        if export.file:
            export.file.delete(save=False)
        export.delete()


def archive_of(user) -> bytes:
    """The ZIP: one JSON file a subject, and a README that says what each holds."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(at=timezone.now().isoformat()))
        for name, content in collect.files_for(user).items():
            archive.writestr(
                name, json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            )
        for name, stored in collect.stored_files_for(user).items():
            try:
                with stored.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except FileNotFoundError:
                continue  # gone from the storage: the export still holds everything else
    return buffer.getvalue()


def build_export(export_id: int) -> str:
    """Build the archive, keep it for KEEP_FOR, tell its owner; "ready", "failed", or "gone"
    when the export no longer waits (built by another worker, or deleted)."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .filter(pk=export_id, status=DataExport.Status.PENDING)
            .select_related("user")
            .first()
        )
        if export is None:
            return "gone"
        try:
            content = archive_of(export.user)
        except Exception:
            # Kept as failed, so the person sees it and may ask again; the trace goes to the log.
            log.exception("Data export %s failed", export.pk)
            EXPORT_STATES.move(export, "fail")
            return "failed"
        name = default_storage.save(f"exports/{uuid.uuid4().hex}.zip", ContentFile(content))
        now = timezone.now()
        EXPORT_STATES.move(
            export, "finish", file=name, size=len(content), ready_at=now, expires_at=now + KEEP_FOR
        )
        notify(
            export.user,
            "data_export_ready",
            export,
            {"until": f"{export.expires_at:%d %B %Y}"},
            occurrence=str(export.pk),
        )
    return "ready"
