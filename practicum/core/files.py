"""Serving a stored file, the one way pages and the API do it: as a download, or shown inline."""

from django.http import FileResponse, Http404


def _opened(field_file):
    if not field_file:
        raise Http404("There is no file.")
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None


def attachment(field_file, *, filename: str, content_type: str) -> FileResponse:
    """`field_file` as a download; a 404 when there is none or it has gone from the storage."""
    return FileResponse(
        _opened(field_file), as_attachment=True, filename=filename, content_type=content_type
    )


def inline(field_file, *, content_type: str, public: bool) -> FileResponse:
    """`field_file` for the browser to show (a picture), a 404 as for attachment(). A public
    file may be cached by anyone for a day; a private one only by the viewer's browser, which
    asks again each time, so a photo stops showing once the viewer may no longer see it."""
    response = FileResponse(_opened(field_file), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-cache"
    return response
