"""Checks of Chinese identifiers: 统一社会信用代码 (GB 32100-2015) and mobile numbers."""

import re

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS,
                                                                  strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    code = code.strip().upper()
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def is_valid_mobile(number: str) -> bool:
    return bool(MOBILE_RE.match(number.strip()))
