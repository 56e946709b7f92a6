"""Serving a stored file as a download, the one way pages and the API do it."""

from django.http import FileResponse, Http404


def attachment(field_file, *, filename: str, content_type: str) -> FileResponse:
    """`field_file` as a download; a 404 when there is none or it has gone from the storage."""
    if not field_file:
        raise Http404("There is no file.")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
