"""Uploaded files: what type a file really is, whether it may be stored, and where. One set of
rules for every upload of work (deliverable submissions, message attachments).

The type is read from the content, never trusted from the name or the browser's content type:
a program renamed "report.pdf" is refused, and so is a PNG named ".pdf" (what the reviewer
would open is not what the name says). No file-type library is installed, so the few
signatures we accept are checked here by hand.
"""

import codecs
import os
import uuid
import zipfile

from django.core.files.storage import default_storage

from practicum.core.errors import ServiceError

MAX_FILE_SIZE = 20 * 1024 * 1024
MAX_NAME_LENGTH = 200

# Extension → the type it promises.
EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpg",
    "jpeg": "jpg",
    "zip": "zip",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "txt": "txt",
    "md": "md",
    "csv": "csv",
}
TEXT_TYPES = ("txt", "md", "csv")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "zip": "application/zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
LABELS = {
    "pdf": "a PDF document",
    "png": "a PNG image",
    "jpg": "a JPEG image",
    "zip": "a ZIP archive",
    "docx": "a Word document",
    "xlsx": "an Excel workbook",
    "pptx": "a PowerPoint presentation",
    "text": "plain text",
}
ALLOWED_LABEL = "PDF, PNG, JPG, ZIP, DOCX, XLSX, PPTX, TXT, MD or CSV"

# Office Open XML files are zips; the folder of the main part tells them apart.
_OFFICE_FOLDERS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
_EXECUTABLE_MAGIC = (
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O, 32 and 64 bit, both byte orders, and universal binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
_CHUNK = 64 * 1024


class FileRefused(ServiceError):
    """An upload that may not be stored; shown next to its field, "file" unless said (API: 422
    with a code)."""

    status = 422

    def __init__(self, code: str, message: str, *, field: str = "file"):
        super().__init__(code, message, fields={field: [message]})
        self.field = field


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def clean_name(name: str) -> str:
    """The uploaded name without any folder part, shortened to fit, extension kept."""
    name = os.path.basename((name or "").replace("\\", "/")).strip() or "file"
    if len(name) > MAX_NAME_LENGTH:
        stem, ext = os.path.splitext(name)
        name = stem[: MAX_NAME_LENGTH - len(ext)] + ext
    return name


def check_size(upload) -> None:
    """From the size the upload declares, before anything is read."""
    if upload.size is None or upload.size > MAX_FILE_SIZE:
        raise FileRefused(
            "file_too_large",
            f"The file is larger than {MAX_FILE_SIZE // (1024 * 1024)} MB; "
            "share a link to it instead.",
        )
    if upload.size == 0:
        raise FileRefused("file_empty", "The file is empty.")


def _zip_type(upload) -> str | None:
    try:
        names = zipfile.ZipFile(upload).namelist()  # reads the central directory only
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" in names:
        for folder, kind in _OFFICE_FOLDERS:
            if any(name.startswith(folder) for name in names):
                return kind
    return "zip"


def _is_text(upload) -> bool:
    """UTF-8 (a byte-order mark allowed) without NUL bytes, read in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        while chunk := upload.read(_CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_type(upload) -> str | None:
    """pdf, png, jpg, zip, docx, xlsx, pptx, "text", "executable", or None (anything else)."""
    upload.seek(0)
    head = upload.read(64)
    detected = None
    if head.startswith(b"%PDF-"):
        detected = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        detected = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        detected = "jpg"
    elif head.startswith(b"PK\x03\x04"):
        detected = _zip_type(upload)
    elif head.startswith(_EXECUTABLE_MAGIC) or (head.startswith(b"MZ") and b"\x00" in head):
        # Windows programs start with "MZ" and a binary header; a text that happens to
        # start with the letters MZ has no NUL byte.
        detected = "executable"
    elif _is_text(upload):
        detected = "text"
    upload.seek(0)
    return detected


def check_type(upload) -> str:
    """The file's type (an EXTENSIONS value) when its content is an allowed type and agrees
    with its extension; FileRefused otherwise."""
    declared = EXTENSIONS.get(extension_of(upload.name or ""))
    if declared is None:
        raise FileRefused(
            "file_type_not_allowed",
            f"Files of this type cannot be uploaded. Allowed: {ALLOWED_LABEL}.",
        )
    detected = detect_type(upload)
    if detected == "executable":
        raise FileRefused("file_type_not_allowed", "Programs cannot be uploaded.")
    if detected is None:
        raise FileRefused(
            "file_type_not_allowed",
            f"The content of this file is not one of the allowed types ({ALLOWED_LABEL}).",
        )
    agrees = detected == "text" if declared in TEXT_TYPES else detected == declared
    if not agrees:
        raise FileRefused(
            "file_type_mismatch",
            f"The file is named .{extension_of(upload.name)} but its content is "
            f"{LABELS[detected]}. Rename it to match its content.",
        )
    return declared


def store(upload, file_type: str, *, folder: str) -> str:
    """Save the upload in `folder` under a random, unguessable name; the storage name."""
    upload.seek(0)
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}.{file_type}", upload)


def delete(name: str) -> None:
    if name:
        default_storage.delete(name)
