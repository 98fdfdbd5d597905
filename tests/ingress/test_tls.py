"""TLS checks with real generated certificates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kctl.networking.ingress_tls import name_covers, tls_problems
from tests.ingress.certs import make_cert, tls_secret, valid_for

NOW = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)


def test_a_valid_certificate_covering_the_hosts_has_no_problems():
    cert, key = make_cert(["shop.example.com", "*.shop.example.com"], *valid_for(NOW))
    secret = tls_secret("shop-tls", cert, key)
    assert tls_problems(secret, "shop-tls", ["shop.example.com", "api.shop.example.com"], NOW) == []


def test_missing_secret_wrong_type_and_missing_keys():
    cert, key = make_cert(["a.example"], *valid_for(NOW))
    assert tls_problems(None, "t", ["a.example"], NOW) == ['TLS secret "t" not found']
    assert tls_problems(tls_secret("t", cert, key, type_="Opaque"), "t", [], NOW) == [
        'TLS secret "t" is of type "Opaque", not "kubernetes.io/tls"']
    assert tls_problems(tls_secret("t", cert, None), "t", [], NOW) == ['TLS secret "t" has no "tls.key"']
    assert tls_problems(tls_secret("t", None, None), "t", [], NOW) == [
        'TLS secret "t" has no "tls.crt"', 'TLS secret "t" has no "tls.key"']


def test_pem_that_does_not_parse():
    _, key = make_cert(["a.example"], *valid_for(NOW))
    garbage = b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
    assert tls_problems(tls_secret("t", garbage, key), "t", ["a.example"], NOW) == [
        'TLS secret "t": "tls.crt" is not a PEM-encoded X.509 certificate']


def test_expired_certificate():
    cert, key = make_cert(["a.example"], NOW - timedelta(days=100), datetime(2025, 4, 1, tzinfo=UTC))
    assert tls_problems(tls_secret("t", cert, key), "t", ["a.example"], NOW) == [
        'TLS secret "t": certificate expired on 2025-04-01T00:00:00Z']


def test_host_not_covered_wildcards_cover_one_label():
    cert, key = make_cert(["*.example.com"], *valid_for(NOW))
    problems = tls_problems(tls_secret("t", cert, key), "t", ["shop.example.com", "a.b.example.com", "example.com"], NOW)
    assert problems == [
        'TLS secret "t": certificate does not cover host "a.b.example.com" (it covers *.example.com)',
        'TLS secret "t": certificate does not cover host "example.com" (it covers *.example.com)',
    ]


def test_common_name_counts_only_without_dns_sans():
    cert, key = make_cert([], *valid_for(NOW), common_name="legacy.example")
    assert tls_problems(tls_secret("t", cert, key), "t", ["legacy.example"], NOW) == []
    assert name_covers("*.example.com", "x.example.com") and not name_covers("*.example.com", "example.com")


def test_key_that_is_not_a_pem_private_key():
    cert, _ = make_cert(["a.example"], *valid_for(NOW))
    assert tls_problems(tls_secret("t", cert, b"not a key"), "t", ["a.example"], NOW) == [
        'TLS secret "t": "tls.key" is not a PEM-encoded private key']


def test_expired_certificates_are_still_served_by_ingress_nginx():
    from kctl.networking.ingress_tls import terminates

    cert, key = make_cert(["a.example"], NOW - timedelta(days=100), datetime(2025, 4, 1, tzinfo=UTC))
    assert terminates(tls_secret("t", cert, key), "t", "a.example", NOW) == (
        True, ['TLS secret "t": certificate expired on 2025-04-01T00:00:00Z'])
    assert terminates(tls_secret("t", cert, key), "t", "b.example", NOW)[0] is False
