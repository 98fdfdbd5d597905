"""Helpers shared by the StatefulSet, DaemonSet, Job and CronJob controllers."""
