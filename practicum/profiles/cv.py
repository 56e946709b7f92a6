"""A student's CV: a PDF, proven by its content, and where it is stored.

The name and the browser's content type prove nothing: the file must start with the PDF header
and pypdf must read its pages. An HTML page or a program renamed "cv.pdf" is refused, and so is
an encrypted PDF (an organization could not open it) or a broken one.
"""

import logging
import os
import uuid

from django.core.files.storage import default_storage
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from practicum.core.errors import ServiceError

MAX_BYTES = 5 * 1024 * 1024
MAX_NAME_LENGTH = 200
CONTENT_TYPE = "application/pdf"

# pypdf logs what it repairs in a sloppy file; a refused upload is the answer, not a log line.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class CvRefused(ServiceError):
    status = 422

    def __init__(self, code: str, message: str):
        super().__init__(code, message, fields={"cv": [message]})


def clean_name(name: str) -> str:
    """The uploaded name without any folder part, ending in .pdf, shortened to fit."""
    stem = os.path.splitext(os.path.basename((name or "").replace("\\", "/")).strip())[0]
    return (stem or "CV")[: MAX_NAME_LENGTH - 4] + ".pdf"


def check(upload) -> None:
    """CvRefused unless the upload is a readable, unencrypted PDF of at most MAX_BYTES."""
    if upload.size is None or upload.size > MAX_BYTES:
        raise CvRefused("cv_too_large", f"The CV is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if upload.size == 0:
        raise CvRefused("cv_empty", "The file is empty.")
    upload.seek(0)
    if not upload.read(5).startswith(b"%PDF-"):
        raise CvRefused("cv_not_pdf", "This file is not a PDF. Save or export your CV as PDF.")
    try:
        upload.seek(0)
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise CvRefused(
                "cv_encrypted",
                "This PDF is protected by a password. Upload a copy without one, so "
                "organizations can open it.",
            )
        if len(reader.pages) == 0:
            raise CvRefused("cv_broken", "This PDF has no pages.")
    except CvRefused:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError,
            RecursionError):  # fmt: skip
        # A damaged file can fail anywhere inside the parser: all of it means "cannot read".
        raise CvRefused(
            "cv_broken", "This PDF is damaged and cannot be read. Export it again and retry."
        ) from None
    finally:
        upload.seek(0)


def store(upload) -> str:
    upload.seek(0)
    return default_storage.save(f"cvs/{uuid.uuid4().hex}.pdf", upload)


def delete(name: str) -> None:
    if name:
        default_storage.delete(name)
