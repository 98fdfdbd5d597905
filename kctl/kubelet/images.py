"""Image references and runtime identifiers as the container runtime reports them.

Mirrors what kubelet + containerd show in ``status.containerStatuses``:
- ``image``: the reference normalised like docker's ``reference.ParseNormalizedNamed`` +
  ``TagNameOnly`` (``nginx`` -> ``docker.io/library/nginx:latest``, ``bitnami/redis:7`` ->
  ``docker.io/bitnami/redis:7``, ``registry.k8s.io/pause:3.10`` unchanged);
- ``imageID``: ``<repository>@sha256:<digest>``; the simulator derives the digest from the
  normalised reference (deterministic: the same image always has the same digest);
- ``containerID``: ``containerd://<64 hex>``, derived from pod uid, container name and restart
  attempt (a restarted container is a new container, so it gets a new id).
Also the kubelet's image events (``pkg/kubelet/images/image_manager.go`` wording).
"""

from __future__ import annotations

import hashlib

DEFAULT_DOMAIN = "docker.io"
OFFICIAL_REPO_PREFIX = "library/"
DEFAULT_TAG = "latest"


def split_reference(image: str) -> tuple[str, str, str]:
    """(repository, tag, digest) of an image reference; tag/digest may be empty."""
    name, digest = image, ""
    if "@" in name:
        name, digest = name.split("@", 1)
    tag = ""
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1:]
    return name, tag, digest


def normalize_repository(name: str) -> str:
    """docker's ParseNormalizedNamed: add ``docker.io`` and ``library/`` where implied."""
    first, sep, rest = name.partition("/")
    if sep and first in ("docker.io", "index.docker.io"):
        return f"{DEFAULT_DOMAIN}/{rest}" if "/" in rest else f"{DEFAULT_DOMAIN}/{OFFICIAL_REPO_PREFIX}{rest}"
    if sep and ("." in first or ":" in first or first == "localhost"):
        return name
    if not sep:
        return f"{DEFAULT_DOMAIN}/{OFFICIAL_REPO_PREFIX}{name}"
    return f"{DEFAULT_DOMAIN}/{name}"


def normalize_image(image: str) -> str:
    """The fully qualified reference containerd reports (tag ``latest`` when none and no digest)."""
    name, tag, digest = split_reference(image)
    repo = normalize_repository(name)
    if digest:
        return f"{repo}:{tag}@{digest}" if tag else f"{repo}@{digest}"
    return f"{repo}:{tag or DEFAULT_TAG}"


def image_id(image: str) -> str:
    """``docker.io/library/nginx@sha256:<digest>`` (the given digest, or a derived one)."""
    name, _tag, digest = split_reference(image)
    repo = normalize_repository(name)
    if not digest:
        digest = "sha256:" + hashlib.sha256(normalize_image(image).encode()).hexdigest()
    return f"{repo}@{digest}"


def container_id(pod_uid: str, container_name: str, attempt: int = 0) -> str:
    digest = hashlib.sha256(f"{pod_uid}/{container_name}/{attempt}".encode()).hexdigest()
    return f"containerd://{digest}"


def default_pull_policy(image: str) -> str:
    """API defaulting (SetDefaults_Container): Always for ``:latest`` or no tag, else IfNotPresent."""
    _name, tag, digest = split_reference(image)
    if digest:
        return "IfNotPresent"
    return "Always" if tag in ("", DEFAULT_TAG) else "IfNotPresent"


def go_duration(seconds: float) -> str:
    """Go's ``time.Duration.String()`` for non-negative durations (``800ms``, ``1.234s``, ``1m20s``, ``5m0s``)."""
    ms = round(seconds * 1000)
    if ms == 0:
        return "0s"
    if ms < 1000:
        return f"{ms}ms"
    hours, rem = divmod(ms, 3_600_000)
    minutes, rem = divmod(rem, 60_000)
    secs, millis = divmod(rem, 1000)
    sec_text = f"{secs}.{millis:03d}".rstrip("0") + "s" if millis else f"{secs}s"
    if hours:
        return f"{hours}h{minutes}m{sec_text}"
    if minutes:
        return f"{minutes}m{sec_text}"
    return sec_text


def _simulated_pull(image: str) -> tuple[float, int]:
    """Deterministic pull duration (0.5 s .. 3.5 s) and image size for the Pulled event."""
    h = int(hashlib.sha256(normalize_image(image).encode()).hexdigest(), 16)
    return (500 + h % 3000) / 1000, 5_000_000 + (h >> 16) % 120_000_000


def pulled_present_message(image: str) -> str:
    return f'Container image "{image}" already present on machine'


def pulling_message(image: str) -> str:
    return f'Pulling image "{image}"'


def pulled_message(image: str) -> str:
    """``Successfully pulled image ...`` with simulated (deterministic) timings and size."""
    duration, size = _simulated_pull(image)
    d = go_duration(duration)
    return f'Successfully pulled image "{image}" in {d} ({d} including waiting). Image size: {size} bytes.'


def pull_error(image: str) -> str:
    """The CRI error containerd returns for a reference that does not resolve."""
    ref = normalize_image(image)
    return (f'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": '
            f'failed to resolve reference "{ref}": {ref}: not found')


def failed_to_pull_message(image: str) -> str:
    return f'Failed to pull image "{image}": {pull_error(image)}'


def back_off_pulling_message(image: str) -> str:
    return f'Back-off pulling image "{image}"'
