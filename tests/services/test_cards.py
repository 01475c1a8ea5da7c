"""Pass cards: the code read back from the PNG, Chinese drawn as glyphs, the PDF sheet, the
terminal QR, and the font fallback on a machine without Chinese fonts."""

from __future__ import annotations

import datetime as dt

import pypdfium2
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image, ImageFont

from checkpoint.domain import pass_token
from checkpoint.services import pass_cards


def token() -> str:
    key = Ed25519PrivateKey.generate()
    claims = pass_token.PassClaims(number="K01-000042", kind="household", key_id="0a1b2c3d",
                                   valid_from=dt.date(2026, 11, 24), valid_to=dt.date(2026, 12, 23), exits=1,
                                   per_days=2, back_by=1080, holder="张*丰", id_last4="002X")
    return pass_token.encode(claims, key.sign)


def card(tok: str, number: str = "K01-000042") -> pass_cards.CardData:
    return pass_cards.CardData(title="青山镇 通行证", kind_label="户证（一户一卡）", number=number, holder="张*丰",
                               id_last4="002X", village="红旗村", valid="2026-11-24 至 2026-12-23",
                               rule="每2天可出门1次，当日18:00前返回", issuer="东口卡点（K01）", token=tok,
                               extra=("指定外出：张*明(3015)",))


def test_png_card_decodes_back_to_the_token(tmp_path):
    tok = token()
    path = pass_cards.save_card_png(card(tok), tmp_path / "card.png")
    found = zxingcpp.read_barcodes(Image.open(path))
    assert [c.text for c in found] == [tok]


def test_chinese_is_drawn_as_glyphs_not_boxes():
    choice = pass_cards.find_font()
    face = ImageFont.truetype(str(choice.path), 40, index=choice.index)
    masks = {ch: bytes(face.getmask(ch)) for ch in "通行证"}
    assert len(set(masks.values())) == 3                      # tofu boxes would all be the same
    latin_only = ImageFont.load_default()
    assert bytes(latin_only.getmask("通")) != masks["通"]
    assert pass_cards.draws_chinese(choice.path, choice.index)


def test_font_falls_back_to_the_package_font(monkeypatch):
    monkeypatch.setattr(pass_cards, "SYSTEM_FONTS", ("/nonexistent/font.ttc",))
    monkeypatch.setattr(pass_cards, "_fontconfig_candidates", lambda: [])
    pass_cards.find_font.cache_clear()
    try:
        choice = pass_cards.find_font()
        assert choice.path == pass_cards._package_font()
        assert pass_cards.draws_chinese(choice.path, choice.index)
    finally:
        pass_cards.find_font.cache_clear()


def test_pdf_sheet_of_ten_cards(tmp_path):
    tokens = [token() for _ in range(10)]
    path = pass_cards.save_cards_pdf([card(t, f"K01-{i:06d}") for i, t in enumerate(tokens)], tmp_path / "s.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page/") >= 2 or \
        data.count(b"/Page") >= 3
    # the first page rendered as a printer would (PDFium, from the test extras) and its codes read back
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        assert len(pdf) >= 2
        page = pdf[0].render(scale=150 / 72).to_pil()
    finally:
        pdf.close()
    texts = {c.text for c in zxingcpp.read_barcodes(page)}
    assert texts and texts <= set(tokens)


def test_terminal_qr_is_the_same_code():
    tok = token()
    text = pass_cards.terminal_qr(tok)
    rows = []
    for line in text.splitlines():
        rows.append([ch in "█▀" for ch in line])
        rows.append([ch in "█▄" for ch in line])
    matrix = pass_cards._screen_qr(tok)
    assert rows[:len(matrix)] == matrix
    assert len(text.splitlines()) <= 23 and len(text.splitlines()[0]) <= 45   # beside the text at 80×24
    size = len(rows[0])
    image = Image.new("L", (size, len(rows)), 255)
    image.putdata([0 if dark else 255 for row in rows for dark in row])
    image = image.resize((size * 6, len(rows) * 6), Image.NEAREST)
    assert [c.text for c in zxingcpp.read_barcodes(image)] == [tok]
