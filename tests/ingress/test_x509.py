"""kctl's own X.509 reader against certificates generated (and read back) by ``cryptography``."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from kctl.networking.x509 import has_private_key, load_pem_certificate, pem_blocks
from tests.ingress.certs import make_cert

NOW = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)


def rsa_cert(dns_names: list[str], not_after: datetime, cn: str = "rsa.example") -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "kctl"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(2**70 + 5).not_valid_before(NOW - timedelta(days=1)).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True))
    if dns_names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("10.0.0.1")),
                                         *(x509.DNSName(n) for n in dns_names)]), critical=False)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


@pytest.mark.parametrize("not_after", [
    datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),  # UTCTime
    datetime(2051, 6, 7, 8, 9, 10, tzinfo=UTC),  # GeneralizedTime (2050 and later)
])
def test_reads_what_cryptography_reads(not_after):
    pem = rsa_cert(["A.example.com", "*.b.example.com"], not_after)
    ours = load_pem_certificate(pem)
    theirs = x509.load_pem_x509_certificate(pem)
    assert ours.not_after == theirs.not_valid_after_utc == not_after
    assert ours.not_before == theirs.not_valid_before_utc
    assert ours.dns_names == ("a.example.com", "*.b.example.com")  # the IP SAN is not a DNS name
    assert ours.common_names == ("rsa.example",)
    assert ours.names == ["a.example.com", "*.b.example.com"]


def test_common_name_is_the_name_only_without_dns_sans():
    pem, key = make_cert([], NOW, NOW + timedelta(days=1), common_name="Legacy.Example")
    cert = load_pem_certificate(pem)
    assert cert.dns_names == () and cert.names == ["legacy.example"]
    assert has_private_key(key)


def test_bundles_and_garbage():
    leaf, key = make_cert(["leaf.example"], NOW, NOW + timedelta(days=1))
    other, _ = make_cert(["other.example"], NOW, NOW + timedelta(days=1))
    assert load_pem_certificate(b"junk before\n" + leaf + other).names == ["leaf.example"]
    assert [label for label, _ in pem_blocks(key + leaf)] == ["PRIVATE KEY", "CERTIFICATE"]
    assert load_pem_certificate(key) is None  # no CERTIFICATE block
    assert load_pem_certificate(b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n") is None
    truncated = leaf.replace(leaf.splitlines()[3], b"")
    assert load_pem_certificate(truncated) is None
    assert not has_private_key(leaf)


def test_tls_checks_do_not_need_cryptography(tmp_path):
    """The runtime reads certificates without the ``cryptography`` package."""
    pem, key = make_cert(["*.example.com"], NOW - timedelta(days=1), NOW + timedelta(days=1))
    (tmp_path / "crt.pem").write_bytes(pem)
    (tmp_path / "key.pem").write_bytes(key)
    script = f"""
import sys, base64
from datetime import datetime, UTC
sys.modules["cryptography"] = None  # any import of it now fails
from kctl.networking.ingress_tls import tls_problems
crt = open({str(tmp_path / "crt.pem")!r}, "rb").read()
key = open({str(tmp_path / "key.pem")!r}, "rb").read()
secret = {{"type": "kubernetes.io/tls", "data": {{"tls.crt": base64.b64encode(crt).decode(),
                                                  "tls.key": base64.b64encode(key).decode()}}}}
print(tls_problems(secret, "t", ["a.example.com", "example.com"], datetime(2025, 5, 1, tzinfo=UTC)))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ("['TLS secret \"t\": certificate does not cover host \"example.com\" "
                           "(it covers *.example.com)']")
