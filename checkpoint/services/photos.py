"""A photo of a pass, opened for the code reader without decoding more than it needs.

The pixel count comes from the file's header before anything is decoded. A JPEG (what phones
take) is decoded already scaled down by libjpeg (1/2, 1/4 or 1/8, Pillow's `draft`) to at most
DECODE_PIXELS, in grey, so a 169-megapixel photo costs about 11 MB instead of half a gigabyte; a
QR code printed on a card stays many pixels per module at that size. Other formats cannot be scaled
while decoding, so they are refused above DECODED_BYTES of decoded pixels.

`views_for_reading` first gives a small view (at most QUICK_PIXELS): a card held to the camera
fills enough of the photo to be read there, in a fifth of the time a 16-megapixel view takes
(decoding and reading, bench/README.md); only when the code is not found there is the larger view
decoded and read, so a code small in the frame is read as before.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from pathlib import Path

from checkpoint.errors import InputError

DECODE_PIXELS = 16_000_000        # what the code reader gets at most (a 16 MP grey image: 16 MB)
QUICK_PIXELS = 4_000_000          # the first, quick look (a 50 MP JPEG: decoded at 1/4, 3.1 MP)
DECODED_BYTES = 64 * 1024 * 1024  # a PNG/BMP/WebP is decoded whole: refused above this
MAX_PIXELS = 1_000_000_000        # beyond this even 1/8 scaling is too big: refused outright


def views_for_reading(path: Path) -> Iterator:
    """The photo as grey Pillow images for the code reader, smallest first: one of at most
    QUICK_PIXELS, then, only if that one was scaled down, one of at most DECODE_PIXELS (the caller
    stops asking once it has found the code). Each is the caller's to close. Raises InputError as
    `open_for_reading` does."""
    quick = open_for_reading(path, QUICK_PIXELS)
    full_size = quick.info.get("full_size", quick.size)
    yield quick
    if quick.size != full_size:
        yield open_for_reading(path)


def open_for_reading(path: Path, max_pixels: int = DECODE_PIXELS):
    """The photo as a grey Pillow image of at most `max_pixels` pixels (its size before scaling in
    `image.info["full_size"]`). Raises InputError for a missing file, a file that is not an image,
    and an image too large to read safely."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # our own limits below replace Pillow's decompression-bomb warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
        width, height = image.size
        pixels = width * height
        if pixels > MAX_PIXELS:
            raise _too_big(pixels)
        if image.format == "JPEG":
            scale = next((k for k in (1, 2, 4, 8) if pixels / (k * k) <= max_pixels), 8)
            # rounded down: libjpeg's scale is the largest that still gives at least this size
            image.draft("L", (width // scale, height // scale))
        elif pixels * len(image.getbands()) > DECODED_BYTES:
            raise _too_big(pixels)
        image.load()
        if image.mode != "L":
            image = image.convert("L")
        if image.width * image.height > max_pixels:
            factor = math.ceil(math.sqrt(image.width * image.height / max_pixels))
            image = image.reduce(factor)
        image.info["full_size"] = (width, height)
        return image
    except FileNotFoundError:
        raise InputError("pass.image_missing", field="image", path=str(path)) from None
    except Image.DecompressionBombError:
        raise InputError("exchange.image_too_big", field="image", pixels="> 178") from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        raise InputError("pass.image_bad", field="image", path=str(path)) from None


def _too_big(pixels: int) -> InputError:
    return InputError("exchange.image_too_big", field="image", pixels=f"{pixels / 1_000_000:.0f}")
