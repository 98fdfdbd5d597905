"""ConfigMap and Secret: pkg/apis/core/validation ``ValidateConfigMap`` / ``ValidateSecret``.

Secret ``data`` values arrive as the base64 text of the manifest; the API server
decodes them while reading the request (Go's StdEncoding), so a bad value is
reported as ``data[key]: Invalid value: "...": illegal base64 data at input byte N``.
``stringData`` is merged into ``data`` (it wins on conflicts) before validation,
as the v1 conversion does.
"""

from __future__ import annotations

import json

from kctl.api import field as fe
from kctl.api.validation import meta, names
from kctl.api.validation.gobase64 import Base64Error, decode_std
from kctl.api.validation.util import Child, Key, as_dict, as_str

MAX_SECRET_SIZE = 1 * 1024 * 1024  # core.MaxSecretSize, also used for ConfigMaps

SECRET_TYPE_OPAQUE = "Opaque"
SECRET_TYPE_SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"
SECRET_TYPE_DOCKERCFG = "kubernetes.io/dockercfg"
SECRET_TYPE_DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson"
SECRET_TYPE_BASIC_AUTH = "kubernetes.io/basic-auth"
SECRET_TYPE_SSH_AUTH = "kubernetes.io/ssh-auth"
SECRET_TYPE_TLS = "kubernetes.io/tls"
SERVICE_ACCOUNT_NAME_KEY = "kubernetes.io/service-account.name"


def validate_config_map(obj: dict) -> list[fe.FieldError]:
    """``ValidateConfigMap``."""
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    data = as_dict(obj.get("data"))
    binary = as_dict(obj.get("binaryData"))
    total = 0
    for key, value in data.items():
        if not isinstance(key, str):
            continue
        p = ("data", Key(key))
        errs.extend(fe.invalid(p, key, m) for m in names.is_config_map_key(key))
        if key in binary:
            errs.append(fe.invalid(p, key, "duplicate of key present in binaryData"))
        total += len(value.encode()) if isinstance(value, str) else 0
    for key, value in binary.items():
        if not isinstance(key, str):
            continue
        p = ("binaryData", Key(key))
        errs.extend(fe.invalid(p, key, m) for m in names.is_config_map_key(key))
        if isinstance(value, str):
            try:
                total += len(decode_std(value))
            except Base64Error as exc:
                errs.append(fe.invalid(p, value, str(exc)))
    if total > MAX_SECRET_SIZE:
        # upstream passes field.NewPath(""): the error reads ": Too long: ..."
        errs.append(fe.too_long((Child(""),), "", MAX_SECRET_SIZE))
    return errs


def secret_data(obj: dict) -> tuple[dict[str, bytes], list[fe.FieldError]]:
    """The decoded ``data`` of a Secret manifest with ``stringData`` merged in, plus decoding errors."""
    decoded: dict[str, bytes] = {}
    errs: list[fe.FieldError] = []
    for key, value in as_dict(obj.get("data")).items():
        if not isinstance(key, str):
            continue
        if value is None:
            decoded[key] = b""
            continue
        if not isinstance(value, str):
            continue
        try:
            decoded[key] = decode_std(value)
        except Base64Error as exc:
            errs.append(fe.invalid(("data", Key(key)), value, str(exc)))
    for key, value in as_dict(obj.get("stringData")).items():
        if isinstance(key, str) and isinstance(value, str):
            decoded[key] = value.encode()
    return decoded, errs


def _go_json_object_error(raw: bytes) -> str | None:
    """The error ``json.Unmarshal(raw, &map[string]interface{}{})`` returns, or None."""
    try:
        value = json.loads(raw.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        text = raw.decode("utf-8", errors="replace")
        if not text.strip() or exc.pos >= len(text):
            return "unexpected end of JSON input"
        ch = text[exc.pos]
        where = (
            "looking for beginning of value"
            if exc.msg.startswith("Expecting value")
            else "after top-level value"
            if exc.msg.startswith("Extra data")
            else "looking for beginning of object key string"
        )
        return f"invalid character {ch!r} {where}"
    if isinstance(value, dict):
        return None
    go_type = {list: "array", str: "string", bool: "bool", type(None): None}.get(type(value), "number")
    if go_type is None:
        return None  # null unmarshals into a map without error
    return f"json: cannot unmarshal {go_type} into Go value of type map[string]interface {{}}"


def validate_secret(obj: dict) -> list[fe.FieldError]:
    """``ValidateSecret`` (after base64 decoding and the ``stringData`` merge)."""
    errs = meta.validate_object_meta(obj.get("metadata"), True, names.name_is_dns_subdomain)
    data, decode_errs = secret_data(obj)
    errs.extend(decode_errs)
    total = 0
    for key, value in data.items():
        errs.extend(fe.invalid(("data", Key(key)), key, m) for m in names.is_config_map_key(key))
        total += len(value)
    if total > MAX_SECRET_SIZE:
        errs.append(fe.too_long(("data",), "", MAX_SECRET_SIZE))

    secret_type = as_str(obj.get("type")) or SECRET_TYPE_OPAQUE
    if secret_type == SECRET_TYPE_SERVICE_ACCOUNT_TOKEN:
        annotations = as_dict(as_dict(obj.get("metadata")).get("annotations"))
        if not as_str(annotations.get(SERVICE_ACCOUNT_NAME_KEY)):
            errs.append(fe.required(("metadata", "annotations", Key(SERVICE_ACCOUNT_NAME_KEY))))
    elif secret_type in (SECRET_TYPE_DOCKERCFG, SECRET_TYPE_DOCKER_CONFIG_JSON):
        key = ".dockercfg" if secret_type == SECRET_TYPE_DOCKERCFG else ".dockerconfigjson"
        if key not in data:
            errs.append(fe.required(("data", Key(key))))
        else:
            problem = _go_json_object_error(data[key])
            if problem:
                errs.append(fe.invalid(("data", Key(key)), "<secret contents redacted>", problem))
    elif secret_type == SECRET_TYPE_BASIC_AUTH:
        if "username" not in data and "password" not in data:
            errs.append(fe.required(("data", Key("username"))))
            errs.append(fe.required(("data", Key("password"))))
    elif secret_type == SECRET_TYPE_SSH_AUTH:
        if not data.get("ssh-privatekey"):
            errs.append(fe.required(("data", Key("ssh-privatekey"))))
    elif secret_type == SECRET_TYPE_TLS:
        if "tls.crt" not in data:
            errs.append(fe.required(("data", Key("tls.crt"))))
        if "tls.key" not in data:
            errs.append(fe.required(("data", Key("tls.key"))))
    return errs
