"""Expanders (cluster-autoscaler/expander): which node group a scale-up grows.

Each strategy keeps the best options; a chain (``priority,least-waste``) feeds one
strategy's survivors to the next, and remaining ties go to ``random``, which kctl seeds
(sha256 of the seed, the time and the group name) so a cluster replays identically.

- ``least-waste``: least idle CPU then memory after the scale-up: score =
  (availCPU - reqCPU)/availCPU + (availMem - reqMem)/availMem over the new nodes; lowest wins.
- ``most-pods``: the option that schedules the most pending pods.
- ``least-nodes``: the option that needs the fewest new nodes.
- ``priority``: the highest priority whose regexps match the group name
  (ConfigMap ``cluster-autoscaler-priority-expander``); no match at all -> every option.
- ``random``: one option.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from kctl.scheduler.resources import CPU, MEMORY, pod_requests, quantity_value

EXPANDERS = ("least-waste", "most-pods", "least-nodes", "random", "priority")


@dataclass
class Option:
    group: dict
    node_count: int
    pods: list[dict] = field(default_factory=list)
    allocatable: dict = field(default_factory=dict)
    #: The Nodes this option would register.
    new_nodes: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return (self.group.get("metadata") or {}).get("name", "")


def waste_score(option: Option) -> float:
    req_cpu = req_mem = 0
    for pod in option.pods:
        r = pod_requests(pod)
        req_cpu += r.get(CPU, 0)
        req_mem += r.get(MEMORY, 0)
    avail_cpu = quantity_value(CPU, option.allocatable.get(CPU, "0")) * option.node_count
    avail_mem = quantity_value(MEMORY, option.allocatable.get(MEMORY, "0")) * option.node_count
    cpu = (avail_cpu - req_cpu) / avail_cpu if avail_cpu else 0.0
    mem = (avail_mem - req_mem) / avail_mem if avail_mem else 0.0
    return cpu + mem


def _best(options: list[Option], key) -> list[Option]:
    values = [key(o) for o in options]
    best = min(values)
    return [o for o, v in zip(options, values, strict=True) if v == best]


def least_waste(options: list[Option], **_) -> list[Option]:
    return _best(options, waste_score)


def most_pods(options: list[Option], **_) -> list[Option]:
    return _best(options, lambda o: -len(o.pods))


def least_nodes(options: list[Option], **_) -> list[Option]:
    return _best(options, lambda o: o.node_count)


def priority(options: list[Option], priorities: dict[int, list[str]] | None = None, **_) -> list[Option]:
    best_prio, best = None, []
    for option in options:
        prio = None
        for p, patterns in (priorities or {}).items():
            if any(_matches(pattern, option.name) for pattern in patterns) and (prio is None or p > prio):
                prio = p
        if prio is None:
            continue
        if best_prio is None or prio > best_prio:
            best_prio, best = prio, [option]
        elif prio == best_prio:
            best.append(option)
    return best or options


def _matches(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


def random_choice(options: list[Option], seed: str = "kctl", salt: str = "", **_) -> list[Option]:
    return [min(options, key=lambda o: hashlib.sha256(f"{seed}\x00{salt}\x00{o.name}".encode()).digest())]


STRATEGIES = {"least-waste": least_waste, "most-pods": most_pods, "least-nodes": least_nodes,
              "priority": priority, "random": random_choice}


def best_option(options: list[Option], chain: tuple[str, ...], *, priorities=None, seed: str = "kctl",
                salt: str = "") -> Option | None:
    """The option the expander chain picks (None when there are none)."""
    if not options:
        return None
    remaining = sorted(options, key=lambda o: o.name)
    for name in chain:
        strategy = STRATEGIES.get(name)
        if strategy is None:
            continue
        remaining = strategy(remaining, priorities=priorities, seed=seed, salt=salt)
        if len(remaining) == 1:
            return remaining[0]
    return random_choice(remaining, seed=seed, salt=salt)[0]
