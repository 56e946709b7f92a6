"""core.images: a picture is judged by its content, bounded, and stored redrawn without its
metadata."""

import io

import pytest
from PIL import ExifTags, Image

from practicum.core import images
from tests.samples import GPS_LATITUDE, HTML, image_bytes, jpeg_with_gps, upload


def redrawn(data: bytes, name="photo.jpg", *, square=True) -> Image.Image:
    stored = images.redraw(upload(name, data), field="photo", square=square)
    return Image.open(io.BytesIO(stored))


def refusal(data: bytes, name="photo.png") -> images.ImageRefused:
    with pytest.raises(images.ImageRefused) as caught:
        images.redraw(upload(name, data, "image/png"), field="photo", square=True)
    assert caught.value.fields == {"photo": [caught.value.message]}
    assert caught.value.status == 422
    return caught.value


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_jpeg_png_and_webp_are_kept_as_webp(fmt):
    picture = redrawn(image_bytes(fmt=fmt), name="whatever.bin")
    assert picture.format == "WEBP"


def test_a_png_named_jpg_is_judged_by_its_content():
    assert redrawn(image_bytes(fmt="PNG"), name="me.jpg").format == "WEBP"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("me.png", b"Just some text, honestly a picture."),
        ("me.webp", HTML),
        ("me.gif", image_bytes(fmt="GIF")),  # a real picture, but not a type we take
        ("me.png", image_bytes(fmt="PNG")[:60]),  # cut off after the header
        ("me.png", b""),
    ],
    ids=["text", "html", "gif", "truncated", "empty"],
)
def test_what_is_not_a_usable_picture_is_refused(name, data):
    assert refusal(data, name).code == "image_type_not_allowed"


def test_more_than_5_mb_is_refused_before_reading():
    big = upload("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * images.MAX_UPLOAD_BYTES)
    with pytest.raises(images.ImageRefused) as caught:
        images.redraw(big, field="logo", square=False)
    assert caught.value.code == "image_too_large"
    assert caught.value.fields == {"logo": ["The picture is larger than 5 MB."]}


def test_more_than_4096_pixels_a_side_is_refused():
    error = refusal(image_bytes(size=(4097, 1)))
    assert error.code == "image_too_many_pixels"
    assert "4097×1" in error.message


def test_a_decompression_bomb_is_refused_without_decoding_it(monkeypatch):
    # Pillow's bomb limit, lowered so a small picture stands for a huge one.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    assert refusal(image_bytes(size=(15, 10))).code == "image_type_not_allowed"  # warning zone
    assert refusal(image_bytes(size=(40, 40))).code == "image_type_not_allowed"  # error zone


def test_exif_and_gps_are_gone():
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    gps = original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert tuple(gps[ExifTags.GPS.GPSLatitude]) == GPS_LATITUDE  # the sample does carry it

    stored = redrawn(jpeg_with_gps())
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info and "xmp" not in stored.info


def test_photos_are_cropped_square_and_logos_shrunk_whole():
    assert redrawn(image_bytes(size=(600, 300))).size == (300, 300)
    assert redrawn(image_bytes(size=(2000, 1500))).size == (512, 512)
    assert redrawn(image_bytes(size=(1000, 500)), square=False).size == (512, 256)
    assert redrawn(image_bytes(size=(100, 50)), square=False).size == (100, 50)


def test_transparency_is_kept():
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, "PNG")
    assert redrawn(out.getvalue(), square=False).mode == "RGBA"


def test_stored_under_a_random_name(settings):
    first = images.store(b"one", folder="photos")
    second = images.store(b"two", folder="photos")
    assert first != second
    for name in (first, second):
        folder, file_name = name.split("/")
        assert folder == "photos" and len(file_name) == len("0" * 32 + ".webp")
    images.delete(first)
    images.delete(second)
