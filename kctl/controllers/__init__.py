"""The controller-manager: control loops that drive actual state toward desired state.

Each controller is a small class with a ``name`` (the event source component) and a
``sync(cluster, now)`` method that reads a ``ClusterView`` snapshot and returns a plan
of ``Action`` values. It never writes: the manager applies every action through the
API server (validation, defaulting, metadata) and runs the loops to a fixed point.
"""
