"""Reading manifests: files, folders and stdin in; one ``Manifest`` per resource out.

This is the client half of kubectl's resource builder (``-f``/``-R``): YAML and JSON,
multi-document streams, ``List`` wrappers, and every error located at FILE:LINE:COLUMN.
"""

from kctl.manifests.reader import Manifest, ManifestError, read_sources
from kctl.manifests.sources import Source, expand_paths

__all__ = ["Manifest", "ManifestError", "Source", "expand_paths", "read_sources"]
