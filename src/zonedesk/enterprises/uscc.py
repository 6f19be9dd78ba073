"""统一社会信用代码 (USCC, GB 32100-2015): charset, length and check character.

Some codes issued in the early days fail the checksum yet are legal; they are accepted with a
warning, never rejected, because the registry is the authority and the enterprise cannot change it.
"""

from __future__ import annotations

from dataclasses import dataclass

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CHARSET)}
_FULLWIDTH = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(0x41 + i) for i in range(26)}
)


@dataclass(frozen=True)
class UsccCheck:
    code: str  # normalised: upper case, half-width, no spaces
    ok: bool  # well formed (length and charset); False means reject
    checksum_ok: bool  # check character matches; False with ok=True means accept with a warning
    message: str = ""


def check_character(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def check_uscc(raw: str) -> UsccCheck:
    code = "".join(raw.split()).translate(_FULLWIDTH).upper()
    if len(code) != 18:
        return UsccCheck(code, False, False, f"统一社会信用代码应为 18 位，实为 {len(code)} 位")
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return UsccCheck(
            code, False, False, f"统一社会信用代码含非法字符：{''.join(bad)}（不使用 I、O、Z、S、V）"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return UsccCheck(
            code, True, False, f"统一社会信用代码校验位不符（应为 {expected}），按早期赋码保留，请核实"
        )
    return UsccCheck(code, True, True)
