"""kube-scheduler: a framework of filter and score plugins with the default profile.

``schedule_one(pod, snapshot)`` places one pod, or explains why it cannot be placed
with upstream's FailedScheduling message. Pure: it reads a snapshot and returns a
decision; the control plane turns decisions into writes.
"""
