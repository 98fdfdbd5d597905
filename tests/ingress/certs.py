"""Real X.509 certificates for the TLS checks (generated with ``cryptography``)."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_KEY = ec.generate_private_key(ec.SECP256R1())


def make_cert(dns_names: list[str], not_before: datetime, not_after: datetime, common_name: str = "test") -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM), self-signed."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(_KEY.public_key())
        .serial_number(1000)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    if dns_names:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]), critical=False)
    cert = builder.sign(_KEY, hashes.SHA256())
    key = _KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key


def tls_secret(name: str, cert: bytes | None, key: bytes | None, *, type_: str = "kubernetes.io/tls",
               namespace: str = "default") -> dict:
    data = {}
    if cert is not None:
        data["tls.crt"] = base64.b64encode(cert).decode()
    if key is not None:
        data["tls.key"] = base64.b64encode(key).decode()
    return {"apiVersion": "v1", "kind": "Secret", "type": type_,
            "metadata": {"name": name, "namespace": namespace}, "data": data}


def valid_for(now: datetime, days: int = 90) -> tuple[datetime, datetime]:
    return now - timedelta(days=1), now + timedelta(days=days)
