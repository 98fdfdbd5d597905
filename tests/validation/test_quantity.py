from __future__ import annotations

import pytest

from kctl.api.quantity import (
    BINARY_SI,
    DECIMAL_EXPONENT,
    DECIMAL_SI,
    ERR_FORMAT_WRONG,
    ERR_SUFFIX,
    Quantity,
    QuantityError,
    parse_quantity,
)

REGEX_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("0", "0"),
        ("100m", "100m"),
        ("750m", "750m"),
        ("1000m", "1"),
        ("1", "1"),
        ("1.5", "1500m"),
        ("0.5", "500m"),
        ("1500m", "1500m"),
        ("1000", "1k"),
        ("128974848", "128974848"),
        ("129M", "129M"),
        ("1G", "1G"),
        ("128Mi", "128Mi"),
        ("1.5Gi", "1536Mi"),
        ("1024Mi", "1Gi"),
        ("0.5Ki", "512"),
        ("1e3", "1e3"),
        ("1.5e3", "1500"),
        ("1E", "1E"),
        ("1e-12", "1e-9"),
        ("0.1m", "100u"),
        ("-1", "-1"),
        ("-0.5", "-500m"),
    ],
)
def test_canonical_form(text, canonical):
    assert str(Quantity(text)) == canonical


def test_canonical_text_is_reused_like_upstream():
    # ParseQuantity keeps the original string when it is already in canonical shape
    assert str(Quantity("+1")) == "+1"
    assert str(Quantity("01")) == "01"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", REGEX_ERROR),
        ("1GBs", REGEX_ERROR),
        ("1.5.5", REGEX_ERROR),
        ("abc", REGEX_ERROR),
        ("1Mb", REGEX_ERROR),
        ("100mm", ERR_SUFFIX),  # upstream: the suffix "mm" is well-formed but unknown
        ("1e", ERR_SUFFIX),
    ],
)
def test_rejects(text, error):
    with pytest.raises(QuantityError) as exc:
        Quantity(text)
    assert str(exc.value) == error
    assert error in (ERR_FORMAT_WRONG, ERR_SUFFIX)


def test_exact_values_and_rounding():
    assert Quantity("100m").milli_value() == 100
    assert Quantity("1.5").milli_value() == 1500
    assert Quantity("1.5Gi").value() == 1610612736
    assert Quantity("128Mi").value() == 134217728
    # value() rounds up: 500m -> 1 (bytes / whole units)
    assert Quantity("500m").value() == 1
    assert Quantity("1n").milli_value() == 1
    assert Quantity("1n").nanos == 1
    # finer than 1n rounds up to 1n
    assert Quantity("0.0000000001").nanos == 1
    assert Quantity("0.1").nanos * 10 == Quantity("1").nanos


def test_comparison_and_addition():
    assert Quantity("500m") < Quantity("1")
    assert Quantity("1Gi") > Quantity("1G")
    assert Quantity("1000m") == Quantity("1")
    assert Quantity("1").cmp(Quantity("2")) == -1
    total = Quantity("250m") + Quantity("500m")
    assert str(total) == "750m"
    assert str(Quantity("0") + Quantity("128Mi")) == "128Mi"  # zero takes the other's format
    assert str(Quantity("1Gi") + Quantity("512Mi")) == "1536Mi"
    assert sorted([Quantity("1"), Quantity("100m"), Quantity("2Gi")]) == [
        Quantity("100m"),
        Quantity("1"),
        Quantity("2Gi"),
    ]


def test_formats():
    assert Quantity("1Ki").format == BINARY_SI
    assert Quantity("1k").format == DECIMAL_SI
    assert Quantity("1e3").format == DECIMAL_EXPONENT
    assert Quantity("0.5Ki").format == DECIMAL_SI or str(Quantity("0.5Ki")) == "512"


def test_numbers_from_yaml():
    assert str(parse_quantity(2)) == "2"
    assert str(parse_quantity(0.5)) == "500m"
    assert parse_quantity(1.5).milli_value() == 1500
    with pytest.raises(QuantityError):
        parse_quantity(True)
    with pytest.raises(QuantityError):
        parse_quantity(None)
