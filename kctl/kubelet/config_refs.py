"""Missing ConfigMap/Secret references, as the kubelet reports them.

- Container environment (``kubelet_pods.go`` makeEnvironmentVariables): ``envFrom`` first, then
  ``env[].valueFrom``; the first problem wins and becomes the container's waiting message with
  reason ``CreateContainerConfigError`` (``configmap "x" not found``,
  ``couldn't find key k in ConfigMap ns/x`` and the Secret variants). ``optional: true``
  skips a missing object or key. Env keys are looked up in ``data`` only (not binaryData).
- Volumes (configmap/secret/projected volume plugins): the pod cannot start at all; each
  failing volume gives ``MountVolume.SetUp failed for volume "<vol>" : <err>`` where err is
  ``configmap "x" not found`` / ``configmap references non-existent config key: k`` /
  ``secret "x" not found`` / ``references non-existent secret key: k``; a projected volume
  aggregates its sources' errors like ``utilerrors.NewAggregate`` (one error: itself; several:
  ``[e1, e2]``).
"""

from __future__ import annotations

from collections.abc import Callable

Getter = Callable[[str, str], "dict | None"]


def configmap_not_found(name: str) -> str:
    return f'configmap "{name}" not found'


def secret_not_found(name: str) -> str:
    return f'secret "{name}" not found'


def _secret_keys(secret: dict) -> set[str]:
    return set(secret.get("data") or {}) | set(secret.get("stringData") or {})


def container_config_error(container: dict, namespace: str, get_configmap: Getter,
                           get_secret: Getter) -> str | None:
    """The CreateContainerConfigError message for a container, or None if it can start."""
    for source in container.get("envFrom") or ():
        if source.get("configMapRef") is not None:
            ref = source["configMapRef"]
            if get_configmap(namespace, ref.get("name", "")) is None and not ref.get("optional"):
                return configmap_not_found(ref.get("name", ""))
        elif source.get("secretRef") is not None:
            ref = source["secretRef"]
            if get_secret(namespace, ref.get("name", "")) is None and not ref.get("optional"):
                return secret_not_found(ref.get("name", ""))
    for env in container.get("env") or ():
        value_from = env.get("valueFrom") or {}
        if value_from.get("configMapKeyRef") is not None:
            ref = value_from["configMapKeyRef"]
            name, key, optional = ref.get("name", ""), ref.get("key", ""), bool(ref.get("optional"))
            cm = get_configmap(namespace, name)
            if cm is None:
                if optional:
                    continue
                return configmap_not_found(name)
            if key not in (cm.get("data") or {}) and not optional:
                return f"couldn't find key {key} in ConfigMap {namespace}/{name}"
        elif value_from.get("secretKeyRef") is not None:
            ref = value_from["secretKeyRef"]
            name, key, optional = ref.get("name", ""), ref.get("key", ""), bool(ref.get("optional"))
            secret = get_secret(namespace, name)
            if secret is None:
                if optional:
                    continue
                return secret_not_found(name)
            if key not in _secret_keys(secret) and not optional:
                return f"couldn't find key {key} in Secret {namespace}/{name}"
    return None


def _configmap_source_error(source: dict, namespace: str, get_configmap: Getter) -> str | None:
    name, optional = source.get("name", ""), bool(source.get("optional"))
    cm = get_configmap(namespace, name)
    if cm is None:
        return None if optional else configmap_not_found(name)
    keys = set(cm.get("data") or {}) | set(cm.get("binaryData") or {})
    for item in source.get("items") or ():
        if item.get("key") not in keys and not optional:
            return f"configmap references non-existent config key: {item.get('key')}"
    return None


def _secret_source_error(source: dict, name_field: str, namespace: str, get_secret: Getter) -> str | None:
    name, optional = source.get(name_field, ""), bool(source.get("optional"))
    secret = get_secret(namespace, name)
    if secret is None:
        return None if optional else secret_not_found(name)
    for item in source.get("items") or ():
        if item.get("key") not in _secret_keys(secret) and not optional:
            return f"references non-existent secret key: {item.get('key')}"
    return None


def _aggregate(errors: list[str]) -> str | None:
    if not errors:
        return None
    return errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"


def volume_error(volume: dict, namespace: str, get_configmap: Getter, get_secret: Getter) -> str | None:
    """The SetUp error of one pod volume, or None."""
    if volume.get("configMap") is not None:
        return _configmap_source_error(volume["configMap"], namespace, get_configmap)
    if volume.get("secret") is not None:
        return _secret_source_error(volume["secret"], "secretName", namespace, get_secret)
    if volume.get("projected") is not None:
        errors = []
        for source in volume["projected"].get("sources") or ():
            if source.get("configMap") is not None:
                err = _configmap_source_error(source["configMap"], namespace, get_configmap)
            elif source.get("secret") is not None:
                err = _secret_source_error(source["secret"], "name", namespace, get_secret)
            else:
                err = None
            if err:
                errors.append(err)
        return _aggregate(errors)
    return None


def failed_mount_messages(pod: dict, get_configmap: Getter, get_secret: Getter) -> list[str]:
    """``MountVolume.SetUp failed for volume "<vol>" : <err>`` for every failing volume, in order."""
    namespace = (pod.get("metadata") or {}).get("namespace") or "default"
    out = []
    for volume in (pod.get("spec") or {}).get("volumes") or ():
        err = volume_error(volume, namespace, get_configmap, get_secret)
        if err:
            out.append(f'MountVolume.SetUp failed for volume "{volume.get("name", "")}" : {err}')
    return out
