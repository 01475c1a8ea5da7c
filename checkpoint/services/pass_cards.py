"""Pass cards as images: a PNG card, an A4 PDF sheet of cards, and the QR drawn in the terminal.

Chinese text must come out as Chinese glyphs on a fresh machine, never as boxes. A system font
with Simplified Chinese glyphs is used when there is one (fontconfig, the usual Linux, Windows and
macOS paths); otherwise the Noto Sans CJK collection shipped by the `noto-cjk-sans-otc` package
(~20 MB installed), chosen over `mplfonts` because that one pulls in matplotlib. Every candidate is
checked by drawing: a font that lacks the glyphs draws the same box for every character.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from checkpoint.i18n import t

SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
)
PROBE = "通行证"
CARD_SIZE = (1000, 620)
A4_150DPI = (1240, 1754)


@dataclass(frozen=True)
class CardData:
    title: str
    kind_label: str
    number: str
    holder: str
    id_last4: str
    village: str
    valid: str
    rule: str
    issuer: str
    token: str
    extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class FontChoice:
    path: Path
    index: int


def _mask(font: ImageFont.FreeTypeFont, text: str) -> bytes:
    return bytes(font.getmask(text))


def draws_chinese(path: Path, index: int = 0) -> bool:
    """True when the face draws distinct glyphs for Chinese (a missing glyph is one same box)."""
    try:
        font = ImageFont.truetype(str(path), 40, index=index)
    except OSError:
        return False
    masks = [_mask(font, ch) for ch in PROBE]
    missing = _mask(font, "\U000F0000")  # a private-use code point no font has: the .notdef box
    return all(m and m != missing for m in masks) and len(set(masks)) == len(masks)


def _simplified_index(path: Path) -> int:
    """In a collection, the face for Simplified Chinese (e.g. 'Noto Sans CJK SC')."""
    best = 0
    for index in range(0, 32):
        try:
            name = " ".join(ImageFont.truetype(str(path), 12, index=index).getname())
        except OSError:
            break
        if " SC" in name or "GB" in name or "Simplified" in name:
            return index
        if index == 0:
            best = 0
    return best


def _fontconfig_candidates() -> list[Path]:
    if not shutil.which("fc-match"):
        return []
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\n", ":lang=zh-cn"], capture_output=True, text=True,
                             timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line) for line in out.splitlines() if line.strip()]


def _package_font() -> Path:
    return Path(str(resources.files("noto_cjk_sans_otc").joinpath("NotoSansCJK-Regular.ttc")))


def candidates() -> list[Path]:
    """Font files to try for the card's Chinese text, in order: the usual system fonts, fontconfig's
    answer, then the font shipped with the package."""
    return [Path(p) for p in SYSTEM_FONTS] + _fontconfig_candidates() + [_package_font()]


@lru_cache(maxsize=1)
def find_font() -> FontChoice:
    for path in candidates():
        if path.is_file():
            index = _simplified_index(path) if path.suffix.lower() == ".ttc" else 0
            if draws_chinese(path, index):
                return FontChoice(path, index)
    raise RuntimeError("no font with Chinese glyphs found")  # the package font makes this unreachable


def font(size: int) -> ImageFont.FreeTypeFont:
    """The card's font at `size` pixels (the first candidate that draws Chinese)."""
    choice = find_font()
    return ImageFont.truetype(str(choice.path), size, index=choice.index)


def _qr(token: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=4)
    code.add_data(token)  # upper-case base32: qrcode chooses alphanumeric mode
    code.make(fit=True)
    return code


def qr_image(token: str, box_size: int = 8) -> Image.Image:
    """The QR code of `token` as an RGB image, `box_size` pixels a module, with the standard quiet zone."""
    matrix = _qr(token).get_matrix()
    size = len(matrix)
    image = Image.new("L", (size, size), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    return image.resize((size * box_size, size * box_size), Image.NEAREST).convert("RGB")


SCREEN_BORDER = 2   # quiet modules around the on-screen code (a screen has no smudges: 2 are enough)


def _screen_qr(token: str) -> list[list[bool]]:
    # Low error correction: a screen does not smudge, and the smaller code (41 modules for a
    # token of this station) fits 80×24 beside the pass's text.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, box_size=1, border=SCREEN_BORDER)
    code.add_data(token)
    code.make(fit=True)
    return code.get_matrix()


def terminal_qr(token: str) -> str:
    """The code in half blocks, two module rows per text line (a 41-module code and its quiet
    zone: 45 columns by 23 lines), dark modules drawn: show it dark on light."""
    matrix = _screen_qr(token)
    if len(matrix) % 2:
        matrix = matrix + [[False] * len(matrix[0])]
    lines = []
    for top, bottom in zip(matrix[0::2], matrix[1::2]):
        # light cells are no-break spaces: a widget may trim ordinary leading spaces, and the quiet zone
        # around the code is what lets a phone find it
        lines.append("".join("█" if a and b else "▀" if a else "▄" if b else "\u00a0" for a, b in zip(top, bottom)))
    return "\n".join(lines)


def _fit(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def render_card(card: CardData) -> Image.Image:
    """The pass card (title, kind, number, holder, validity, QR) as an image of CARD_SIZE."""
    w, h = CARD_SIZE
    image = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, w - 1, h - 1], outline=(30, 30, 30), width=4)
    draw.rectangle([4, 4, w - 5, 84], fill=(170, 20, 20))
    draw.text((30, 18), _fit(draw, card.title, font(44), w - 60), font=font(44), fill="white")
    qr = qr_image(card.token, box_size=6)
    side = min(400, h - 130)
    qr = qr.resize((side, side), Image.NEAREST)
    image.paste(qr, (w - side - 25, 110))
    text_width = w - side - 80
    y = 105
    lines = [(card.kind_label, 34, (170, 20, 20)), (card.number, 44, (0, 0, 0)),
             (t("card.holder", holder=card.holder, last4=card.id_last4), 28, (0, 0, 0))]
    if card.village:
        lines.append((t("card.village", village=card.village), 26, (40, 40, 40)))
    lines.append((t("card.valid_line", valid=card.valid), 26, (40, 40, 40)))
    if card.rule:
        lines.append((card.rule, 24, (40, 40, 40)))
    lines += [(line, 22, (60, 60, 60)) for line in card.extra]
    for text, size, colour in lines:
        face = font(size)
        draw.text((30, y), _fit(draw, text, face, text_width), font=face, fill=colour)
        y += int(size * 1.45)
        if y > h - 70:
            break
    footer = font(22)
    draw.text((30, h - 50), _fit(draw, t("card.footer", issuer=card.issuer), footer, w - 60), font=footer,
              fill=(60, 60, 60))
    return image


def save_card_png(card: CardData, path: Path) -> Path:
    """Write the card to `path` as PNG; returns the path. Raises OSError when it cannot be written
    (services.passes.write_cards turns that into InputError)."""
    path = Path(path)
    render_card(card).save(path, "PNG")
    return path


def save_cards_pdf(cards: list[CardData], path: Path) -> Path:
    """A4 pages at 150 dpi, 2 cards across and 4 down, as many pages as needed."""
    path = Path(path)
    page_w, page_h = A4_150DPI
    margin, gap = 60, 24
    card_w = (page_w - 2 * margin - gap) // 2
    card_h = card_w * CARD_SIZE[1] // CARD_SIZE[0]
    per_page = 2 * max(1, (page_h - 2 * margin + gap) // (card_h + gap))
    pages = []
    for start in range(0, max(len(cards), 1), per_page):
        page = Image.new("RGB", (page_w, page_h), "white")
        for i, card in enumerate(cards[start:start + per_page]):
            x = margin + (i % 2) * (card_w + gap)
            y = margin + (i // 2) * (card_h + gap)
            page.paste(render_card(card).resize((card_w, card_h), Image.LANCZOS), (x, y))
        pages.append(page)
    pages[0].save(path, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return path
