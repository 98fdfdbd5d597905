"""Per-container usage history of one VPA (pkg/recommender/model/aggregate_container_state.go
and container.go), and its compact form kept on the VPA as the annotation
``kctl.io/vpa-checkpoint`` (upstream keeps VerticalPodAutoscalerCheckpoint objects).

- CPU: every sample goes into the CPU histogram with weight max(request cores, 0.1)
  (a raised request makes older history count less); it counts toward the confidence.
- Memory: one sample per 24 h aggregation interval, the interval's peak (weight 1.0): a
  higher usage in the same interval replaces the interval's sample.
- OOM: an OOM-killed container adds the memory sample max(used + 100 MiB, used x 1.2) with
  used = max(memory request, the interval's usage peak). As upstream (ContainerState's
  memoryPeak and oomPeak), the interval keeps its usage peak and its OOM peak apart: the
  interval's sample is the larger of the two, but an OOM bumps from the usage peak only, so
  repeated OOMs at the same request and usage do not ratchet the recommendation up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kctl.controllers.vpa.histogram import CPU_HISTOGRAM, MEMORY_HISTOGRAM, DecayingHistogram

CHECKPOINT_ANNOTATION = "kctl.io/vpa-checkpoint"
HALF_LIFE = 24 * 3600.0
MEMORY_AGGREGATION_INTERVAL = 24 * 3600.0
MIN_SAMPLE_WEIGHT = 0.1
OOM_MIN_BUMP_BYTES = 100 * 1024 * 1024
OOM_BUMP_RATIO = 1.2


@dataclass
class AggregateContainerState:
    cpu: DecayingHistogram = field(default_factory=lambda: DecayingHistogram(CPU_HISTOGRAM, HALF_LIFE))
    memory: DecayingHistogram = field(default_factory=lambda: DecayingHistogram(MEMORY_HISTOGRAM, HALF_LIFE))
    first_sample: float | None = None
    last_sample: float | None = None
    total_samples: int = 0
    #: the current memory aggregation interval: its end and its peak (bytes).
    window_end: float | None = None
    window_peak: float = 0.0
    #: the interval's peak from OOM samples (upstream's oomPeak).
    oom_peak: float = 0.0
    #: finishedAt of OOM kills already counted.
    ooms: list[str] = field(default_factory=list)

    def add_cpu_sample(self, cores: float, request_cores: float, t: float) -> None:
        self.cpu.add_sample(cores, max(request_cores, MIN_SAMPLE_WEIGHT), t)
        if self.last_sample is None or t > self.last_sample:
            self.last_sample = t
        if self.first_sample is None or t < self.first_sample:
            self.first_sample = t
        self.total_samples += 1

    def add_memory_sample(self, nbytes: float, t: float, is_oom: bool = False) -> None:
        """ContainerState.addMemorySample: one sample per interval, its peak. A sample in the
        current interval above max(usage peak, OOM peak) replaces the interval's sample; a
        sample past the interval's end starts the next one."""
        add_new = False
        if self.window_end is None or t >= self.window_end:
            if self.window_end is None:
                self.window_end = t + MEMORY_AGGREGATION_INTERVAL
            while t >= self.window_end:
                self.window_end += MEMORY_AGGREGATION_INTERVAL
            self.window_peak = self.oom_peak = 0.0
            add_new = True
        else:
            old = max(self.window_peak, self.oom_peak)
            if old != 0 and nbytes > old:
                self.memory.subtract_sample(old, 1.0, self.window_end)
                add_new = True
        if not add_new:
            return
        self.memory.add_sample(nbytes, 1.0, self.window_end)
        if is_oom:
            self.oom_peak = nbytes
        else:
            self.window_peak = nbytes

    def record_oom(self, request_bytes: float, t: float) -> None:
        """ContainerState.RecordOOM: bump from max(request, usage peak), not from an earlier OOM."""
        used = max(request_bytes, self.window_peak)
        self.add_memory_sample(max(used + OOM_MIN_BUMP_BYTES, used * OOM_BUMP_RATIO), t, is_oom=True)

    def confidence_days(self) -> float:
        """min(history in days, samples / (60 x 24)): one sample a minute for a day = 1."""
        if self.first_sample is None or self.last_sample is None:
            return 0.0
        lifespan = (self.last_sample - self.first_sample) / 86400.0
        return min(lifespan, self.total_samples / (60.0 * 24.0))

    def to_state(self) -> dict:
        return {"cpu": self.cpu.to_state(), "memory": self.memory.to_state(), "first": self.first_sample,
                "last": self.last_sample, "samples": self.total_samples, "windowEnd": self.window_end,
                "windowPeak": self.window_peak, "oomPeak": self.oom_peak, "ooms": self.ooms}

    @classmethod
    def from_state(cls, state: dict) -> AggregateContainerState:
        return cls(cpu=DecayingHistogram.from_state(CPU_HISTOGRAM, HALF_LIFE, state.get("cpu")),
                   memory=DecayingHistogram.from_state(MEMORY_HISTOGRAM, HALF_LIFE, state.get("memory")),
                   first_sample=state.get("first"), last_sample=state.get("last"),
                   total_samples=int(state.get("samples") or 0), window_end=state.get("windowEnd"),
                   window_peak=float(state.get("windowPeak") or 0.0),
                   oom_peak=float(state.get("oomPeak") or 0.0), ooms=list(state.get("ooms") or []))


@dataclass
class Checkpoint:
    """All containers' states of one VPA, and when the recommender last sampled."""

    containers: dict[str, AggregateContainerState] = field(default_factory=dict)
    last_sample_time: float | None = None

    def container(self, name: str) -> AggregateContainerState:
        if name not in self.containers:
            self.containers[name] = AggregateContainerState()
        return self.containers[name]

    def dumps(self) -> str:
        return json.dumps({"lastSampleTime": self.last_sample_time,
                           "containers": {n: self.containers[n].to_state() for n in sorted(self.containers)}},
                          separators=(",", ":"), sort_keys=True)

    @classmethod
    def of(cls, vpa: dict) -> Checkpoint:
        text = ((vpa.get("metadata") or {}).get("annotations") or {}).get(CHECKPOINT_ANNOTATION)
        if not text:
            return cls()
        try:
            doc = json.loads(text)
        except ValueError:
            return cls()
        return cls({n: AggregateContainerState.from_state(s) for n, s in (doc.get("containers") or {}).items()},
                   doc.get("lastSampleTime"))
