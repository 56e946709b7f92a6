"""Uploaded pictures (student photos, organization logos): proven to be images, then redrawn.

The content decides, never the name or the browser's content type: Pillow must recognise the
bytes as JPEG, PNG or WebP and verify them. The size is read from the header and refused before
any pixel is decoded, so a small file that unpacks into a huge bitmap (a "decompression bomb")
costs nothing. What is stored is a new WebP drawn from the pixels alone: EXIF (GPS position,
camera serial), comments and anything else riding in the file are gone, and the original bytes
are never served.
"""

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from practicum.core.errors import ServiceError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SIDE = 4096
STORED_SIDE = 512
FORMATS = ("JPEG", "PNG", "WEBP")
ALLOWED_LABEL = "JPEG, PNG or WebP"
# The file chooser's filter (a convenience: the content decides).
ACCEPT = "image/jpeg,image/png,image/webp"
# What the API documentation says of every picture upload, and the 422 codes it may answer.
API_RULES = (
    f"A {ALLOWED_LABEL} picture (read from the content), at most "
    f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB and {MAX_SIDE} pixels a side"
)
API_REFUSALS = "422 image_too_large, image_too_many_pixels, image_type_not_allowed"
CONTENT_TYPE = "image/webp"
_QUALITY = 85


class ImageRefused(ServiceError):
    """An upload that is not an image we keep; shown next to its field (API: 422 with a code)."""

    status = 422

    def __init__(self, code: str, message: str, *, field: str):
        super().__init__(code, message, fields={field: [message]})


def _open(upload) -> Image.Image:
    upload.seek(0)
    return Image.open(upload, formats=FORMATS)


def redraw(upload, *, field: str, square: bool) -> bytes:
    """The picture as WebP bytes, at most STORED_SIDE pixels a side: cropped to a centred square
    (`square`, for faces) or shrunk whole (logos, which must not lose their edges).
    ImageRefused when it is too large, not an image, or not one of FORMATS."""
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ImageRefused(
            "image_too_large",
            f"The picture is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
            field=field,
        )
    not_an_image = ImageRefused(
        "image_type_not_allowed",
        f"This file is not a picture we can use. Upload a {ALLOWED_LABEL} image.",
        field=field,
    )
    try:
        # Pillow warns (rather than fails) between its limit and twice it: fail on both.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(upload) as probe:
                width, height = probe.size
                if width > MAX_SIDE or height > MAX_SIDE:
                    raise ImageRefused(
                        "image_too_many_pixels",
                        f"The picture is {width}×{height} pixels; at most {MAX_SIDE}×{MAX_SIDE}.",
                        field=field,
                    )
                probe.verify()
            # verify() leaves the image unusable: open it again to decode it.
            with _open(upload) as image:
                image.load()
                picture = ImageOps.exif_transpose(image)
    except ImageRefused:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ):
        raise not_an_image from None
    finally:
        upload.seek(0)
    picture = picture.convert("RGBA" if _has_alpha(picture) else "RGB")
    if square:
        side = min(*picture.size, STORED_SIDE)
        picture = ImageOps.fit(picture, (side, side), Image.Resampling.LANCZOS)
    else:
        picture.thumbnail((STORED_SIDE, STORED_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A new image carries no metadata unless given some: nothing of the upload's EXIF survives.
    picture.save(out, "WEBP", quality=_QUALITY, method=4)
    return out.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def store(data: bytes, *, folder: str) -> str:
    """Save redrawn bytes under a random, unguessable name; the storage name."""
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}.webp", ContentFile(data))


def delete(name: str) -> None:
    if name:
        default_storage.delete(name)
