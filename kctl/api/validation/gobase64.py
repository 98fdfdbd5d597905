"""Go's ``encoding/base64`` StdEncoding decoder, for Secret ``data`` values.

The API server decodes ``[]byte`` fields with ``base64.StdEncoding``; a bad value
fails the whole request with ``illegal base64 data at input byte N``. This mirrors
``Encoding.Decode``/``decodeQuantum`` (padding required, ``\\r``/``\\n`` skipped,
non-strict) so the reported offset N is the one Go reports.
"""

from __future__ import annotations

import binascii
import re

__all__ = ["Base64Error", "decode_std"]

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_DECODE = {c: i for i, c in enumerate(_ALPHABET)}
_PAD = ord("=")
_NL = (ord("\n"), ord("\r"))
_CLEAN = re.compile(rb"\A(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z")


class Base64Error(ValueError):
    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")
        self.offset = offset


def decode_std(text: str | bytes) -> bytes:
    """Decode like Go's ``base64.StdEncoding.DecodeString``; raises ``Base64Error``."""
    src = text.encode() if isinstance(text, str) else text
    if _CLEAN.match(src):
        return binascii.a2b_base64(src)
    out = bytearray()
    si = 0
    n = len(src)
    while si < n:
        si, chunk = _decode_quantum(src, si)
        out += chunk
    return bytes(out)


def _decode_quantum(src: bytes, si: int) -> tuple[int, bytes]:
    dbuf = [0, 0, 0, 0]
    dlen = 4
    j = 0
    n = len(src)
    while j < 4:
        if si == n:
            if j == 0:
                return si, b""
            raise Base64Error(si - j)
        c = src[si]
        si += 1
        v = _DECODE.get(c)
        if v is not None:
            dbuf[j] = v
            j += 1
            continue
        if c in _NL:
            continue
        if c != _PAD:
            raise Base64Error(si - 1)
        # padding
        if j in (0, 1):
            raise Base64Error(si - 1)
        if j == 2:
            while si < n and src[si] in _NL:
                si += 1
            if si == n:
                raise Base64Error(n)
            if src[si] != _PAD:
                raise Base64Error(si - 1)
            si += 1
        while si < n and src[si] in _NL:
            si += 1
        if si < n:
            raise Base64Error(si)
        dlen = j
        break
    val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3]
    full = bytes(((val >> 16) & 0xFF, (val >> 8) & 0xFF, val & 0xFF))
    return si, full[: dlen - 1]
