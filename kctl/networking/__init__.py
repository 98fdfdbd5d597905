"""Service networking: what the API server allocates and what the cloud provides.

- ``ipam``: ClusterIP allocation (service CIDR bands, well-known addresses).
- ``portalloc``: NodePort / healthCheckNodePort allocation.
- ``strategy``: the Service registry's PrepareForCreate/PrepareForUpdate fix-ups.
- ``alloc``: ``allocate_create`` / ``allocate_update``, the API server's entry points.
- ``endpointutil``: pod -> endpoint helpers shared by the Endpoints and EndpointSlice
  controllers (``kctl.controllers.endpoints`` / ``kctl.controllers.endpointslice``).
- ``loadbalancer``: a simulated cloud load balancer (the ``service-controller``).
"""
