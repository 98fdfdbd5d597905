"""The few X.509 facts an ingress controller checks, read from PEM without any crypto library.

An ingress controller (ingress-nginx's ``ssl.CreateSSLCert``, Go's ``crypto/x509``) needs,
for the TLS checks kctl mirrors: does ``tls.crt`` hold a PEM ``CERTIFICATE`` block whose DER
parses as a Certificate, when does it expire (``validity.notAfter``), which DNS names does it
cover (subjectAltName ``dNSName`` entries, else the subject CommonName), and does ``tls.key``
hold a PEM private key block. This module walks the DER (X.690) structure of RFC 5280's
``Certificate`` just far enough to answer those questions; signatures are not verified (no
controller verifies a self-signed serving certificate either). Pure and dependency-free, so
the runtime works without the ``cryptography`` package (tests use it to make certificates).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime

_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", re.S)

OID_COMMON_NAME = bytes([0x55, 0x04, 0x03])  # 2.5.4.3
OID_SUBJECT_ALT_NAME = bytes([0x55, 0x1D, 0x11])  # 2.5.29.17

TAG_BOOLEAN, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID = 0x01, 0x02, 0x04, 0x06
TAG_UTC_TIME, TAG_GENERALIZED_TIME, TAG_SEQUENCE, TAG_SET = 0x17, 0x18, 0x30, 0x31
TAG_VERSION, TAG_EXTENSIONS, TAG_DNS_NAME = 0xA0, 0xA3, 0x82


class DERError(ValueError):
    """The bytes are not the DER structure expected."""


@dataclass(frozen=True)
class Certificate:
    not_before: datetime
    not_after: datetime
    common_names: tuple[str, ...]
    dns_names: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        """The names hostname verification uses: DNS SANs, else the CommonName (legacy)."""
        return list(self.dns_names or self.common_names)


def pem_blocks(data: bytes) -> list[tuple[str, bytes]]:
    """(label, DER bytes) of every well-formed PEM block, in order."""
    out = []
    for m in _PEM_BLOCK.finditer(data):
        body = b"".join(line for line in m.group(2).split() if b":" not in line)  # skip RFC 1421 headers
        try:
            out.append((m.group(1).decode(), base64.b64decode(body, validate=True)))
        except (binascii.Error, ValueError):
            continue
    return out


def has_private_key(pem: bytes) -> bool:
    """A ``PRIVATE KEY``, ``RSA PRIVATE KEY`` or ``EC PRIVATE KEY`` block (what Go's
    ``tls.X509KeyPair`` accepts) is present."""
    return any(label.endswith("PRIVATE KEY") for label, _ in pem_blocks(pem))


def load_pem_certificate(pem: bytes) -> Certificate | None:
    """The first ``CERTIFICATE`` block of a PEM bundle (the leaf), or None when there is
    none or it does not parse."""
    for label, der in pem_blocks(pem):
        if label == "CERTIFICATE":
            try:
                return parse_certificate(der)
            except (DERError, IndexError, UnicodeDecodeError):
                return None
    return None


# -- DER ---------------------------------------------------------------------------------


def read_tlv(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of value, end of value) of the element at ``pos``."""
    if pos + 2 > len(data):
        raise DERError("truncated element")
    tag, length = data[pos], data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise DERError("bad length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    end = pos + length
    if end > len(data):
        raise DERError("truncated value")
    return tag, pos, end


def children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    out, pos = [], start
    while pos < end:
        tag, vstart, vend = read_tlv(data, pos)
        out.append((tag, vstart, vend))
        pos = vend
    return out


def expect(element: tuple[int, int, int], tag: int) -> tuple[int, int, int]:
    if element[0] != tag:
        raise DERError(f"expected tag {tag:#x}, found {element[0]:#x}")
    return element


def parse_time(data: bytes, element: tuple[int, int, int]) -> datetime:
    tag, start, end = element
    text = data[start:end].decode("ascii")
    if tag == TAG_UTC_TIME:  # YYMMDDHHMMSSZ; RFC 5280: YY >= 50 is 19YY
        year = int(text[:2])
        text = f"{1900 + year if year >= 50 else 2000 + year}{text[2:]}"
    elif tag != TAG_GENERALIZED_TIME:
        raise DERError("bad time")
    if not text.endswith("Z"):
        raise DERError("time not in UTC")
    return datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def name_attributes(data: bytes, element: tuple[int, int, int], oid: bytes) -> list[str]:
    """Values of one attribute type in a Name (SEQUENCE OF SET OF {type, value})."""
    out = []
    for rdn in children(data, element[1], element[2]):
        expect(rdn, TAG_SET)
        for atv in children(data, rdn[1], rdn[2]):
            fields = children(data, atv[1], atv[2])
            if len(fields) == 2 and fields[0][0] == TAG_OID and data[fields[0][1]:fields[0][2]] == oid:
                out.append(data[fields[1][1]:fields[1][2]].decode("utf-8"))
    return out


def subject_alt_dns_names(data: bytes, extensions: tuple[int, int, int]) -> list[str]:
    out: list[str] = []
    (seq,) = children(data, extensions[1], extensions[2])
    for ext in children(data, seq[1], seq[2]):
        fields = children(data, ext[1], ext[2])
        if not fields or fields[0][0] != TAG_OID or data[fields[0][1]:fields[0][2]] != OID_SUBJECT_ALT_NAME:
            continue
        value = expect(fields[-1], TAG_OCTET_STRING)
        (names,) = children(data, value[1], value[2])
        for general_name in children(data, names[1], names[2]):
            if general_name[0] == TAG_DNS_NAME:
                out.append(data[general_name[1]:general_name[2]].decode("ascii"))
    return out


def parse_certificate(der: bytes) -> Certificate:
    cert = expect(read_tlv(der, 0), TAG_SEQUENCE)
    tbs = expect(children(der, cert[1], cert[2])[0], TAG_SEQUENCE)
    fields = children(der, tbs[1], tbs[2])
    if fields and fields[0][0] == TAG_VERSION:
        fields = fields[1:]
    # serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, [1], [2], [3]
    expect(fields[0], TAG_INTEGER)
    validity = expect(fields[3], TAG_SEQUENCE)
    subject = expect(fields[4], TAG_SEQUENCE)
    not_before, not_after = children(der, validity[1], validity[2])
    extensions = next((f for f in fields[6:] if f[0] == TAG_EXTENSIONS), None)
    dns_names = subject_alt_dns_names(der, extensions) if extensions else []
    return Certificate(
        not_before=parse_time(der, not_before),
        not_after=parse_time(der, not_after),
        common_names=tuple(n.lower() for n in name_attributes(der, subject, OID_COMMON_NAME)),
        dns_names=tuple(n.lower() for n in dns_names),
    )


__all__ = ["Certificate", "has_private_key", "load_pem_certificate", "parse_certificate", "pem_blocks"]
