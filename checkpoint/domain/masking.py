"""Masking of personal data wherever it is shown or exported (2020 CAC notice, PIPL)."""

from __future__ import annotations


def mask_id_number(number: str) -> str:
    """110105********002X: keep the first 6 and the last 4 of a resident ID; other documents keep
    their first 2 and last 2."""
    n = number or ""
    if len(n) >= 15:
        return n[:6] + "*" * (len(n) - 10) + n[-4:]
    if len(n) > 4:
        return n[:2] + "*" * (len(n) - 4) + n[-2:]
    return "*" * len(n)


def mask_phone(phone: str) -> str:
    """138****5678 for a mobile; a landline keeps its last 4."""
    p = phone or ""
    if len(p) == 11 and p.startswith("1"):
        return p[:3] + "****" + p[-4:]
    if len(p) > 4:
        return "*" * (len(p) - 4) + p[-4:]
    return p


def mask_name(name: str) -> str:
    """张*三 for a pass card: first and last character kept."""
    n = (name or "").strip()
    if len(n) <= 1:
        return n
    if len(n) == 2:
        return n[0] + "*"
    return n[0] + "*" * (len(n) - 2) + n[-1]


def mask_address(address: str, keep: int = 6) -> str:
    a = address or ""
    return a if len(a) <= keep else a[:keep] + "…"


def mask_name_short(name: str) -> str:
    """张*三 for a pass token, whatever the name's length (欧阳*锋, 买*力 for a long name): the QR
    code stays one size, small enough to show at 80×24 and scan from the screen, and a photo of
    the card says no more than the first and last character."""
    n = (name or "").strip()
    if len(n) <= 2:
        return mask_name(n)
    return n[0] + "*" + n[-1]
