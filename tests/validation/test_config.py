from __future__ import annotations

import base64

from kctl.api.validation import validate
from kctl.api.validation.gobase64 import Base64Error, decode_std
from tests.validation.conftest import messages

KEY_MSG = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
    "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
)


def cm(**fields):
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}}
    obj.update(fields)
    return obj


def secret(**fields):
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}
    obj.update(fields)
    return obj


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_config_map_keys_and_overlap():
    assert validate(cm(data={"app.properties": "a=1", "LOG_LEVEL": "info"})) == []
    assert messages(validate(cm(data={"bad key": "x", "dup": "1"}, binaryData={"dup": b64("1")}))) == [
        f'data[bad key]: Invalid value: "bad key": {KEY_MSG}',
        'data[dup]: Invalid value: "dup": duplicate of key present in binaryData',
    ]


def test_config_map_size():
    assert messages(validate(cm(data={"a": "x" * (1024 * 1024 + 1)}))) == [
        ": Too long: may not be more than 1048576 bytes"
    ]
    assert validate(cm(data={"a": "x" * (1024 * 1024)})) == []


def test_secret_base64_like_go():
    assert validate(secret(data={"password": b64("s3cret")})) == []
    assert messages(validate(secret(data={"password": "not base64!"}))) == [
        'data[password]: Invalid value: "not base64!": illegal base64 data at input byte 3'
    ]
    assert messages(validate(secret(data={"k": "YWJj="}))) == [
        'data[k]: Invalid value: "YWJj=": illegal base64 data at input byte 4'
    ]
    assert messages(validate(secret(data={"k": "YWJjZA"}))) == [
        'data[k]: Invalid value: "YWJjZA": illegal base64 data at input byte 4'
    ]


def test_go_base64_decoder_offsets():
    assert decode_std("YWJjZA==") == b"abcd"
    assert decode_std("YWJj\nZA==\n") == b"abcd"  # newlines are skipped
    for text, offset in [("YQ", 0), ("Y===", 1), ("YQ=", 3), ("YQ==YQ==", 4), ("YW Jj", 2), ("=", 0)]:
        try:
            decode_std(text)
        except Base64Error as exc:
            assert exc.offset == offset, text
        else:
            raise AssertionError(f"{text!r} decoded")


def test_secret_keys_size_and_string_data():
    assert messages(validate(secret(stringData={"a b": "x"}))) == [
        f'data[a b]: Invalid value: "a b": {KEY_MSG}'
    ]
    assert messages(validate(secret(stringData={"a": "x" * (1024 * 1024 + 1)}))) == [
        "data: Too long: may not be more than 1048576 bytes"
    ]


def test_secret_types():
    assert messages(validate(secret(type="kubernetes.io/tls", data={"tls.crt": b64("cert")}))) == [
        "data[tls.key]: Required value"
    ]
    assert validate(secret(type="kubernetes.io/tls", stringData={"tls.crt": "c", "tls.key": "k"})) == []
    assert messages(validate(secret(type="kubernetes.io/dockerconfigjson"))) == [
        "data[.dockerconfigjson]: Required value"
    ]
    assert messages(
        validate(secret(type="kubernetes.io/dockerconfigjson", stringData={".dockerconfigjson": "[]"}))
    ) == [
        'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into '
        "Go value of type map[string]interface {}"
    ]
    assert messages(
        validate(secret(type="kubernetes.io/dockerconfigjson", stringData={".dockerconfigjson": "{x"}))
    ) == [
        "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'x' looking for "
        "beginning of object key string"
    ]
    ok = '{"auths":{"registry.example.com":{"auth":"dTpw"}}}'
    assert validate(secret(type="kubernetes.io/dockerconfigjson", stringData={".dockerconfigjson": ok})) == []
    assert messages(validate(secret(type="kubernetes.io/basic-auth"))) == [
        "data[username]: Required value",
        "data[password]: Required value",
    ]
    assert messages(validate(secret(type="kubernetes.io/service-account-token"))) == [
        "metadata.annotations[kubernetes.io/service-account.name]: Required value"
    ]
