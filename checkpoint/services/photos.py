"""A photo of a pass, opened for the code reader without decoding more than it needs.

The pixel count comes from the file's header before anything is decoded. A JPEG (what phones
take) is decoded already scaled down by libjpeg (1/2, 1/4 or 1/8, Pillow's `draft`) to at most
DECODE_PIXELS, in grey, so a 169-megapixel photo costs about 11 MB instead of half a gigabyte; a
QR code printed on a card stays many pixels per module at that size. Other formats cannot be scaled
while decoding, so they are refused above DECODED_BYTES of decoded pixels.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

from checkpoint.errors import InputError

DECODE_PIXELS = 16_000_000        # what the code reader gets at most (a 16 MP grey image: 16 MB)
DECODED_BYTES = 64 * 1024 * 1024  # a PNG/BMP/WebP is decoded whole: refused above this
MAX_PIXELS = 1_000_000_000        # beyond this even 1/8 scaling is too big: refused outright


def open_for_reading(path: Path):
    """The photo as a grey Pillow image of at most DECODE_PIXELS pixels. Raises InputError for a
    missing file, a file that is not an image, and an image too large to read safely."""
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
            scale = next((k for k in (1, 2, 4, 8) if pixels / (k * k) <= DECODE_PIXELS), 8)
            image.draft("L", (math.ceil(width / scale), math.ceil(height / scale)))
        elif pixels * len(image.getbands()) > DECODED_BYTES:
            raise _too_big(pixels)
        image.load()
        if image.mode != "L":
            image = image.convert("L")
        if image.width * image.height > DECODE_PIXELS:
            factor = math.ceil(math.sqrt(image.width * image.height / DECODE_PIXELS))
            image = image.reduce(factor)
        return image
    except FileNotFoundError:
        raise InputError("pass.image_missing", field="image", path=str(path)) from None
    except Image.DecompressionBombError:
        raise InputError("exchange.image_too_big", field="image", pixels="> 178") from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        raise InputError("pass.image_bad", field="image", path=str(path)) from None


def _too_big(pixels: int) -> InputError:
    return InputError("exchange.image_too_big", field="image", pixels=f"{pixels / 1_000_000:.0f}")
