"""TLS checks for an Ingress's ``spec.tls[]`` entries.

What ingress-nginx verifies before it serves a certificate (else it falls back to its
"Kubernetes Ingress Controller Fake Certificate"): the Secret exists in the Ingress's
namespace, is of type ``kubernetes.io/tls`` and holds ``tls.crt`` and ``tls.key``; the
certificate parses (PEM, X.509), has not expired (``notAfter`` before ``now``) and covers
each TLS host: a subjectAltName DNS entry equal to the host, or a ``*.`` wildcard entry
matching exactly one leftmost label (RFC 6125 6.4.3, as Go's ``VerifyHostname``); the
subject CommonName counts only when the certificate has no DNS SANs (legacy behaviour,
kept lenient for self-signed test certificates).

PEM/X.509 parsing uses the ``cryptography`` package, imported on first use only.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

SECRET_TYPE_TLS = "kubernetes.io/tls"
TLS_CERT_KEY = "tls.crt"
TLS_PRIVATE_KEY_KEY = "tls.key"


def secret_data(secret: dict, key: str) -> bytes | None:
    value = (secret.get("data") or {}).get(key)
    if value is None:
        value = (secret.get("stringData") or {}).get(key)
        return None if value is None else value.encode()
    try:
        return base64.b64decode(value, validate=False)
    except (ValueError, TypeError):
        return None


def load_certificate(pem: bytes):
    """The first certificate of a PEM bundle, or None when it does not parse."""
    try:
        from cryptography import x509
    except ImportError:  # pragma: no cover - an install without cryptography checks nothing
        return None
    try:
        return x509.load_pem_x509_certificate(pem)
    except (ValueError, TypeError):
        return None


def certificate_dns_names(cert) -> list[str]:
    from cryptography import x509

    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [n.lower() for n in ext.value.get_values_for_type(x509.DNSName)]


def certificate_common_names(cert) -> list[str]:
    from cryptography.x509.oid import NameOID

    return [str(a.value).lower() for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]


def name_covers(pattern: str, host: str) -> bool:
    """A certificate name covers a host: equal, or ``*.rest`` with exactly one label before ``rest``."""
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern == host:
        return True
    if pattern.startswith("*."):
        suffix = pattern[1:]
        if host.endswith(suffix):
            label = host[: -len(suffix)]
            return bool(label) and "." not in label and "*" not in label
    return False


def certificate_names(cert) -> list[str]:
    names = certificate_dns_names(cert)
    return names or certificate_common_names(cert)


def not_after(cert) -> datetime:
    value = getattr(cert, "not_valid_after_utc", None)
    if value is None:  # cryptography < 42
        value = cert.not_valid_after.replace(tzinfo=UTC)
    return value


def tls_problems(secret: dict | None, secret_name: str, hosts: list[str], now: datetime) -> list[str]:
    """The problems of one ``spec.tls[]`` entry, by name; empty when it would terminate TLS."""
    if secret is None:
        return [f'TLS secret "{secret_name}" not found']
    kind = secret.get("type") or "Opaque"
    if kind != SECRET_TYPE_TLS:
        return [f'TLS secret "{secret_name}" is of type "{kind}", not "{SECRET_TYPE_TLS}"']
    missing = [k for k in (TLS_CERT_KEY, TLS_PRIVATE_KEY_KEY) if not secret_data(secret, k)]
    if missing:
        return [f'TLS secret "{secret_name}" has no "{k}"' for k in missing]
    cert = load_certificate(secret_data(secret, TLS_CERT_KEY) or b"")
    if cert is None:
        return [f'TLS secret "{secret_name}": "{TLS_CERT_KEY}" is not a PEM-encoded X.509 certificate']
    out = []
    expiry = not_after(cert)
    if expiry < now:
        out.append(f'TLS secret "{secret_name}": certificate expired on {expiry.strftime("%Y-%m-%dT%H:%M:%SZ")}')
    names = certificate_names(cert)
    for host in hosts:
        if not any(name_covers(n, host) for n in names):
            covered = ", ".join(names) or "no DNS names"
            out.append(f'TLS secret "{secret_name}": certificate does not cover host "{host}" (it covers {covered})')
    return out


def terminates(secret: dict | None, host: str, now: datetime) -> tuple[bool, str]:
    """Would the controller present this Secret's certificate for ``host``? (ok, reason)."""
    problems = tls_problems(secret, "", [host], now)
    return (not problems, problems[0] if problems else "")


__all__ = ["name_covers", "terminates", "tls_problems"]
