"""TLS checks for an Ingress's ``spec.tls[]`` entries.

What ingress-nginx verifies before it serves a certificate (else it falls back to its
"Kubernetes Ingress Controller Fake Certificate"): the Secret exists in the Ingress's
namespace, is of type ``kubernetes.io/tls`` and holds ``tls.crt`` and ``tls.key``; the
certificate parses (PEM, X.509) and the key is a PEM private key; the certificate covers
each TLS host: a subjectAltName DNS entry equal to the host, or a ``*.`` wildcard entry
matching exactly one leftmost label (RFC 6125 6.4.3, as Go's ``VerifyHostname``); the
subject CommonName counts only when the certificate has no DNS SANs (ingress-nginx's
legacy ``verifyHostname`` fallback). An expired certificate (``notAfter`` before ``now``)
is reported too, but ingress-nginx still serves it (it only logs "SSL certificate for
server ... expired"), so ``terminates`` accepts it.

PEM/X.509 reading is ``kctl.networking.x509`` (pure Python, no crypto library needed).
"""

from __future__ import annotations

import base64
import binascii

from kctl.networking.x509 import Certificate, has_private_key, load_pem_certificate

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
    except (binascii.Error, ValueError, TypeError):
        return None


def load_certificate(pem: bytes) -> Certificate | None:
    """The first certificate of a PEM bundle, or None when it does not parse."""
    return load_pem_certificate(pem)


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


def tls_problems(secret: dict | None, secret_name: str, hosts: list[str], now) -> list[str]:
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
    if not has_private_key(secret_data(secret, TLS_PRIVATE_KEY_KEY) or b""):
        return [f'TLS secret "{secret_name}": "{TLS_PRIVATE_KEY_KEY}" is not a PEM-encoded private key']
    out = []
    expiry = cert.not_after
    if expiry < now:
        out.append(f'TLS secret "{secret_name}": certificate expired on {expiry.strftime("%Y-%m-%dT%H:%M:%SZ")}')
    names = cert.names
    for host in hosts:
        if not any(name_covers(n, host) for n in names):
            covered = ", ".join(names) or "no DNS names"
            out.append(f'TLS secret "{secret_name}": certificate does not cover host "{host}" (it covers {covered})')
    return out


def is_expiry(problem: str) -> bool:
    return ": certificate expired on " in problem


def terminates(secret: dict | None, secret_name: str, host: str, now) -> tuple[bool, list[str]]:
    """Would ingress-nginx present this Secret's certificate for ``host``? (served, problems):
    every problem but expiry makes it fall back to its fake certificate."""
    problems = tls_problems(secret, secret_name, [host], now)
    return (all(is_expiry(p) for p in problems), problems)


__all__ = ["is_expiry", "name_covers", "terminates", "tls_problems"]
