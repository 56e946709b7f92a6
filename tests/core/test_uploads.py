"""The type of an upload is read from its content and must agree with its name; the size is
read from the upload before anything else."""

import io

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile

from practicum.core import uploads
from tests.uploads import SAMPLES, upload


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


EXPECTED = {
    "report.pdf": "pdf",
    "chart.png": "png",
    "photo.jpg": "jpg",
    "photo.jpeg": "jpg",
    "code.zip": "zip",
    "report.docx": "docx",
    "numbers.xlsx": "xlsx",
    "slides.pptx": "pptx",
    "notes.txt": "txt",
    "README.md": "md",
    "answers.csv": "csv",
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_allowed_type_is_accepted(name):
    assert uploads.check_type(upload(name)) == EXPECTED[name]


def test_the_extension_is_read_case_blind():
    assert uploads.check_type(upload("REPORT.PDF", SAMPLES["report.pdf"])) == "pdf"


def refusal(name, content) -> uploads.FileRefused:
    with pytest.raises(uploads.FileRefused) as caught:
        uploads.check_type(upload(name, content))
    assert caught.value.status == 422
    assert caught.value.fields == {"file": [caught.value.message]}
    return caught.value


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(48),  # Windows
        b"\x7fELF\x02\x01\x01\x00" + bytes(56),  # Linux
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(56),  # macOS
    ],
    ids=["exe", "elf", "mach-o"],
)
def test_a_program_renamed_pdf_is_refused(content):
    assert refusal("report.pdf", content).code == "file_type_not_allowed"


def test_a_program_renamed_txt_is_refused_too():
    assert refusal("notes.txt", b"MZ\x90\x00" + bytes(60)).code == "file_type_not_allowed"


def test_a_png_named_pdf_is_a_mismatch():
    error = refusal("report.pdf", SAMPLES["chart.png"])
    assert error.code == "file_type_mismatch"
    assert "PNG image" in error.message


@pytest.mark.parametrize(
    ("name", "sample"),
    [
        ("report.docx", "code.zip"),  # a plain zip is not a Word document
        ("code.zip", "report.docx"),  # and a Word document is not "a zip" to the reviewer
        ("report.docx", "numbers.xlsx"),
        ("notes.txt", "report.pdf"),
        ("report.pdf", "notes.txt"),
        ("photo.jpg", "chart.png"),
    ],
)
def test_content_and_name_must_agree(name, sample):
    assert refusal(name, SAMPLES[sample]).code == "file_type_mismatch"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("program.exe", b"MZ\x90\x00" + bytes(60)),
        ("picture.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("noextension", b"plain text"),
        ("notes.txt", b"latin-1 caf\xe9\n"),  # not UTF-8
        ("notes.csv", b"a,b\n1,\x002\n"),  # a NUL byte
        ("broken.zip", b"PK\x03\x04 not really a zip"),
        ("random.pdf", bytes(range(256))),
    ],
)
def test_other_types_are_not_allowed(name, content):
    assert refusal(name, content).code == "file_type_not_allowed"


def test_a_text_starting_with_mz_is_still_text():
    assert uploads.check_type(upload("notes.txt", b"MZ: notes from the Mozambique interviews\n"))


def test_a_utf8_byte_order_mark_is_fine():
    assert uploads.check_type(upload("answers.csv", b"\xef\xbb\xbfa,b\n1,2\n")) == "csv"


def test_text_is_read_in_chunks_across_multibyte_characters():
    # "é" is two bytes; put one across the 64 KiB chunk boundary.
    content = b"a" * (64 * 1024 - 1) + "é".encode() + b"\n"
    assert uploads.check_type(upload("notes.txt", content)) == "txt"


def sized(size: int, content: bytes = b"%PDF-1.4\n") -> InMemoryUploadedFile:
    """An upload that declares `size` bytes without holding them: the size is what the
    upload handler counted, and nothing past it is read."""
    return InMemoryUploadedFile(
        io.BytesIO(content), "file", "big.pdf", "application/pdf", size, None
    )


def test_the_size_is_checked_from_the_upload():
    uploads.check_size(sized(uploads.MAX_FILE_SIZE))
    with pytest.raises(uploads.FileRefused) as caught:
        uploads.check_size(sized(uploads.MAX_FILE_SIZE + 1))
    assert caught.value.code == "file_too_large"
    with pytest.raises(uploads.FileRefused) as caught:
        uploads.check_size(sized(0, b""))
    assert caught.value.code == "file_empty"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("report.pdf", "report.pdf"),
        ("C:\\Users\\me\\report.pdf", "report.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_the_original_name_is_kept_without_folders(given, kept):
    assert uploads.clean_name(given) == kept


def test_stored_names_are_random_and_keep_no_user_text(media):
    first = uploads.store(upload("report.pdf"), "pdf", folder="deliverables")
    second = uploads.store(upload("report.pdf"), "pdf", folder="deliverables")
    assert first != second
    assert first.startswith("deliverables/") and first.endswith(".pdf")
    assert "report" not in first
    assert len(first.removeprefix("deliverables/").removesuffix(".pdf")) == 32
    assert (media / first).read_bytes() == SAMPLES["report.pdf"]
