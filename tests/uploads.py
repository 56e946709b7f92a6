"""Minimal real files of every allowed upload type (core.uploads), for the tests of every app
that takes uploads."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1×1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def zip_of(entries: dict[str, bytes]) -> bytes:
    """A real zip archive of the entries, stored uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES_XML = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/"/>'

SAMPLES = {
    "report.pdf": b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    "chart.png": _png(),
    "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9",
    "photo.jpeg": b"\xff\xd8\xff\xdb\x00\x43\x00" + bytes(64) + b"\xff\xd9",
    "code.zip": zip_of({"src/main.py": b"print('hello')\n"}),
    "report.docx": zip_of(
        {"[Content_Types].xml": CONTENT_TYPES_XML, "word/document.xml": b"<w:document/>"}
    ),
    "numbers.xlsx": zip_of(
        {"[Content_Types].xml": CONTENT_TYPES_XML, "xl/workbook.xml": b"<workbook/>"}
    ),
    "slides.pptx": zip_of(
        {"[Content_Types].xml": CONTENT_TYPES_XML, "ppt/presentation.xml": b"<p:presentation/>"}
    ),
    "notes.txt": "Findings: three themes — price, speed, support.\n".encode(),
    "README.md": "# Findings\n\n* Price\n* Speed — ünïcode too\n".encode(),
    "answers.csv": b"respondent,score\n1,4\n2,5\n",
}


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    """An uploaded file as a form or the API hands it to the service."""
    return SimpleUploadedFile(name, SAMPLES[name] if content is None else content)
