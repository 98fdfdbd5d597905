"""PersistentVolume, PersistentVolumeClaim, StorageClass, CSIDriver, VolumeAttachment rows
(mirrors printPersistentVolume(Claim), printStorageClass upstream)."""

from __future__ import annotations

from datetime import datetime

from . import AGE, NAME, Column, register
from .common import age, deletion_timestamp, name, quantity_string

_ACCESS_MODE_SHORT = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def access_modes_as_string(modes: list | None) -> str:
    """helper.GetAccessModesAsString: de-duplicated, in the fixed order RWO,ROX,RWX,RWOP."""
    modes = set(modes or [])
    return ",".join(short for full, short in _ACCESS_MODE_SHORT if full in modes)


def _storage_class_name(obj: dict) -> str:
    """GetPersistentVolume(Claim)Class: the beta annotation wins over spec.storageClassName."""
    ann = (obj.get("metadata") or {}).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in ann:
        return ann["volume.beta.kubernetes.io/storage-class"]
    return (obj.get("spec") or {}).get("storageClassName") or ""


def persistent_volume_row(obj: dict, now: datetime) -> list:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    claim = spec.get("claimRef")
    claim_ref = f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else ""
    phase = "Terminating" if deletion_timestamp(obj) else status.get("phase", "")
    return [
        name(obj),
        quantity_string((spec.get("capacity") or {}).get("storage")),
        access_modes_as_string(spec.get("accessModes")),
        spec.get("persistentVolumeReclaimPolicy", ""),
        phase,
        claim_ref,
        _storage_class_name(obj),
        spec.get("volumeAttributesClassName") or "<unset>",
        status.get("reason", ""),
        age(obj, now),
        spec.get("volumeMode") or "<unset>",
    ]


def persistent_volume_claim_row(obj: dict, now: datetime) -> list:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    phase = "Terminating" if deletion_timestamp(obj) else status.get("phase", "")
    capacity = ""
    access_modes = ""
    if spec.get("volumeName"):
        access_modes = access_modes_as_string(status.get("accessModes"))
        capacity = quantity_string((status.get("capacity") or {}).get("storage"))
    return [
        name(obj),
        phase,
        spec.get("volumeName", ""),
        capacity,
        access_modes,
        _storage_class_name(obj),
        spec.get("volumeAttributesClassName") or "<unset>",
        age(obj, now),
        spec.get("volumeMode") or "<unset>",
    ]


def _is_default_class(obj: dict) -> bool:
    ann = (obj.get("metadata") or {}).get("annotations") or {}
    return (ann.get("storageclass.kubernetes.io/is-default-class") == "true"
            or ann.get("storageclass.beta.kubernetes.io/is-default-class") == "true")


def storage_class_row(obj: dict, now: datetime) -> list:
    n = name(obj)
    if _is_default_class(obj):
        n += " (default)"
    return [
        n,
        obj.get("provisioner", ""),
        obj.get("reclaimPolicy") or "Delete",
        obj.get("volumeBindingMode") or "Immediate",
        bool(obj.get("allowVolumeExpansion")),
        age(obj, now),
    ]


def volume_attachment_row(obj: dict, now: datetime) -> list:
    spec = obj.get("spec") or {}
    pv = (spec.get("source") or {}).get("persistentVolumeName") or ""
    return [name(obj), spec.get("attacher", ""), pv, spec.get("nodeName", ""),
            bool((obj.get("status") or {}).get("attached")), age(obj, now)]


register("", "PersistentVolume",
         (NAME, Column("Capacity"), Column("Access Modes"), Column("Reclaim Policy"), Column("Status"),
          Column("Claim"), Column("StorageClass"), Column("VolumeAttributesClass"), Column("Reason"), AGE,
          Column("VolumeMode", 1)),
         persistent_volume_row)
register("", "PersistentVolumeClaim",
         (NAME, Column("Status"), Column("Volume"), Column("Capacity"), Column("Access Modes"),
          Column("StorageClass"), Column("VolumeAttributesClass"), AGE, Column("VolumeMode", 1)),
         persistent_volume_claim_row)
register("storage.k8s.io", "StorageClass",
         (NAME, Column("Provisioner"), Column("ReclaimPolicy"), Column("VolumeBindingMode"),
          Column("AllowVolumeExpansion"), AGE),
         storage_class_row)
register("storage.k8s.io", "VolumeAttachment",
         (NAME, Column("Attacher"), Column("PV"), Column("Node"), Column("Attached", type="boolean"), AGE),
         volume_attachment_row)
