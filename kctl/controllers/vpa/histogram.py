"""The VPA recommender's histograms (vertical-pod-autoscaler/pkg/recommender/util
histogram.go, histogram_options.go, decaying_histogram.go).

Exponential buckets: bucket 0 is [0, first); bucket n starts at
first * (ratio^n - 1) / (ratio - 1); the last bucket is unbounded. A percentile is the end
of the first bucket at which the cumulative weight reaches percentile * total (the start
of the last bucket when that is where it lands); an empty histogram (total < epsilon)
gives 0. A decaying histogram multiplies a sample's weight by 2^((t - ref)/halfLife), so
older samples weigh exponentially less; the reference moves forward (to the hour) when
the exponent would pass 100, rescaling the stored weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: epsilon = 0.001 * minSampleWeight (0.1): the smallest weight a histogram keeps.
EPSILON = 1e-4
MAX_DECAY_EXPONENT = 100


@dataclass(frozen=True)
class ExponentialOptions:
    max_value: float
    first_bucket_size: float
    ratio: float
    epsilon: float = EPSILON

    @property
    def num_buckets(self) -> int:
        return int(math.ceil(math.log(self.max_value * (self.ratio - 1) / self.first_bucket_size + 1)
                             / math.log(self.ratio))) + 1

    def find_bucket(self, value: float) -> int:
        if value < self.first_bucket_size:
            return 0
        bucket = int(math.log(value * (self.ratio - 1) / self.first_bucket_size + 1) / math.log(self.ratio))
        return min(bucket, self.num_buckets - 1)

    def bucket_start(self, bucket: int) -> float:
        if bucket == 0:
            return 0.0
        return self.first_bucket_size * (math.pow(self.ratio, bucket) - 1) / (self.ratio - 1)


#: CPU in cores: 0.01 core first bucket, x1.05, up to 1000 cores.
CPU_HISTOGRAM = ExponentialOptions(1000.0, 0.01, 1.05)
#: Memory in bytes: 1e7 first bucket, x1.05, up to 1e12.
MEMORY_HISTOGRAM = ExponentialOptions(1e12, 1e7, 1.05)


@dataclass
class DecayingHistogram:
    options: ExponentialOptions
    half_life: float  # seconds
    #: bucket -> weight (relative to ``reference``).
    weights: dict[int, float] = field(default_factory=dict)
    total: float = 0.0
    reference: float | None = None  # unix seconds

    def _decay_factor(self, t: float) -> float:
        if self.reference is None or t > self.reference + self.half_life * MAX_DECAY_EXPONENT:
            self._shift_reference(t)
        return math.pow(2.0, (t - self.reference) / self.half_life)

    def _shift_reference(self, t: float) -> None:
        new_ref = round(t / 3600.0) * 3600.0
        if self.reference is not None:
            scale = math.pow(2.0, (self.reference - new_ref) / self.half_life)
            self.weights = {b: w * scale for b, w in self.weights.items()}
            self.total *= scale
        self.reference = new_ref

    def add_sample(self, value: float, weight: float, t: float) -> None:
        w = weight * self._decay_factor(t)
        b = self.options.find_bucket(value)
        self.weights[b] = self.weights.get(b, 0.0) + w
        self.total += w

    def subtract_sample(self, value: float, weight: float, t: float) -> None:
        w = weight * self._decay_factor(t)
        b = self.options.find_bucket(value)
        left = self.weights.get(b, 0.0) - w
        if left < self.options.epsilon:
            self.weights.pop(b, None)
        else:
            self.weights[b] = left
        self.total = max(0.0, self.total - w)

    def is_empty(self) -> bool:
        return self.total < self.options.epsilon

    def percentile(self, p: float) -> float:
        if self.is_empty() or not self.weights:
            return 0.0
        threshold = p * self.total
        partial = 0.0
        buckets = sorted(self.weights)
        bucket = buckets[-1]
        for b in buckets:
            partial += self.weights[b]
            if partial >= threshold:
                bucket = b
                break
        if bucket < self.options.num_buckets - 1:
            return self.options.bucket_start(bucket + 1)
        return self.options.bucket_start(bucket)

    # -- compact state ------------------------------------------------------------------
    def to_state(self) -> dict:
        return {"ref": self.reference, "total": self.total,
                "w": {str(b): self.weights[b] for b in sorted(self.weights)}}

    @classmethod
    def from_state(cls, options: ExponentialOptions, half_life: float, state: dict | None) -> DecayingHistogram:
        h = cls(options, half_life)
        if state:
            h.reference = state.get("ref")
            h.total = float(state.get("total") or 0.0)
            h.weights = {int(b): float(w) for b, w in (state.get("w") or {}).items()}
        return h
