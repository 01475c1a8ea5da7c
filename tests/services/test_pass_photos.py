"""A pass code in a large photo is first looked for in a small view of it (services/photos.py),
then, only when it is not found there, in the larger one: a code small in the frame is still read,
and a code the small view shows well is read without decoding the larger one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from checkpoint.services import photos
from checkpoint.services.passes import read_code_from_image

# as long as a real pass token (161 characters of upper-case base32: QR version 7 at level M)
TOKEN = "CP" + "".join(random.Random(7).choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(159))


def _photo(path: Path, size: tuple[int, int], box: int) -> Path:
    """A JPEG of `size` with the code drawn `box` pixels a module, on a plain background."""
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(border=4, box_size=box)
    code.add_data(TOKEN)
    code.make(fit=True)
    image = Image.new("RGB", size, (200, 180, 160))
    image.paste(code.make_image().convert("RGB"), (size[0] // 3, size[1] // 3))
    image.save(path, quality=85)
    return path


@pytest.fixture
def given_to_reader(monkeypatch) -> list[tuple[tuple[int, int], int]]:
    """The size of every image handed to the QR reader, and how many codes it found there."""
    import zxingcpp

    real = zxingcpp.read_barcodes
    seen: list[tuple[tuple[int, int], int]] = []

    def reading(image, **options):
        found = real(image, **options)
        seen.append((image.size, len(found)))
        return found

    monkeypatch.setattr(zxingcpp, "read_barcodes", reading)
    return seen


def test_a_code_small_in_a_large_photo_is_read_from_the_larger_view(tmp_path, given_to_reader):
    # 12 MP, 2 pixels a module: 1 pixel a module in the small view, too few to read there
    photo = _photo(tmp_path / "far.jpg", (4000, 3000), 2)
    assert read_code_from_image(photo) == TOKEN
    assert given_to_reader == [((2000, 1500), 0), ((4000, 3000), 1)]


def test_a_code_the_small_view_shows_well_is_read_there_alone(tmp_path, given_to_reader):
    photo = _photo(tmp_path / "near.jpg", (4000, 3000), 8)
    assert read_code_from_image(photo) == TOKEN
    assert given_to_reader == [((2000, 1500), 1)]


def test_a_photo_no_larger_than_the_small_view_is_read_once(tmp_path, given_to_reader):
    from PIL import Image

    from checkpoint.errors import InputError

    blank = tmp_path / "blank.jpg"
    Image.new("RGB", (1600, 1200), "white").save(blank)

    with pytest.raises(InputError) as caught:
        read_code_from_image(blank)
    assert caught.value.key == "pass.image_none"
    assert given_to_reader == [((1600, 1200), 0)]


def test_the_views_stay_within_their_pixel_limits(tmp_path):
    photo = _photo(tmp_path / "50mp.jpg", (8660, 5774), 12)
    sizes = []
    for view in photos.views_for_reading(photo):
        sizes.append(view.size)
        view.close()
    assert sizes == [(2165, 1444), (4330, 2887)]   # libjpeg's 1/4 and 1/2
    assert sizes[0][0] * sizes[0][1] <= photos.QUICK_PIXELS
    assert sizes[1][0] * sizes[1][1] <= photos.DECODE_PIXELS

