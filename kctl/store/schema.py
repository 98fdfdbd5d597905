"""The store's tables, in SQLAlchemy Core (portable: SQLite and PostgreSQL).

- ``objects``: one row per API object, the etcd key ``/registry/<group>/<resource>/<namespace>/<name>``
  split into columns (``namespace`` is ``""`` for cluster-scoped resources), the object's uid and
  resourceVersion, and the object itself as compact JSON text. The unique key
  (api_group, resource, namespace, name) is also the index lists use.
- ``owner_references``: (owner uid, dependent uid) for every ``metadata.ownerReferences`` entry,
  so the garbage collector finds dependents without decoding every object.
- ``meta``: cluster-wide values: the resourceVersion counter (etcd's revision), the cluster
  clock, the seed of the deterministic uid/name generators, the schema version.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

SCHEMA_VERSION = "1"

metadata = MetaData()

objects = Table(
    "objects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("api_group", String(253), nullable=False),
    Column("resource", String(253), nullable=False),
    Column("namespace", String(253), nullable=False),
    Column("name", String(253), nullable=False),
    Column("uid", String(36), nullable=False),
    Column("resource_version", BigInteger, nullable=False),
    Column("data", Text, nullable=False),
    UniqueConstraint("api_group", "resource", "namespace", "name", name="uq_objects_key"),
    Index("ix_objects_uid", "uid", unique=True),
    Index("ix_objects_namespace", "namespace"),
)

owner_references = Table(
    "owner_references",
    metadata,
    Column("owner_uid", String(36), nullable=False),
    Column("dependent_uid", String(36), nullable=False),
    Index("ix_owner_references_owner", "owner_uid"),
    Index("ix_owner_references_dependent", "dependent_uid"),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
