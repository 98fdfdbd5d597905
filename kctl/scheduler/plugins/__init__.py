"""The default plugins of kube-scheduler, one module each, registered by name."""
