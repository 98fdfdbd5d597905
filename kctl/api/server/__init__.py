"""The API server: REST semantics (create/get/list/update/delete) over the store.

    with store.transaction() as tx:
        api = APIServer(tx)
        api.create(obj)
"""

from __future__ import annotations

from kctl.api.server.apiserver import PROPAGATIONS, APIServer, fold_string_data, validate_object
from kctl.api.server.clock import Clock, FixedClock, format_time, parse_time

__all__ = ["PROPAGATIONS", "APIServer", "Clock", "FixedClock", "fold_string_data", "format_time", "parse_time", "validate_object"]
