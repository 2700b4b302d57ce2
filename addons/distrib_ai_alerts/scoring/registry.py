"""The registry of detectors: one spec per detector, registered once.

A detector is a ``Detector`` spec: its name, the version of its parameters, its
default threshold, ``fit`` (history -> JSON-able parameters), ``score``
(parameters, new rows -> alerts) and the English templates of its reasons. The
Odoo layer (``distrib.ai.model``) reads everything else it needs from the spec:
the label users see, the model of the records scored and the type of the
exceptions raised. Plain Python, no Odoo import.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# name -> Detector, in registration order (the order users see)
DETECTORS = {}
# reason code -> English template (named placeholders; the Odoo layer
# translates), the union of the registered detectors' reasons
REASONS = {}


def _size(history):
    return len(history["id"])


@dataclass(frozen=True)
class Detector:
    name: str
    label: str
    version: int
    threshold: float
    fit: Callable[[Any], dict]
    score: Callable[..., list]
    reasons: dict = field(default_factory=dict)
    # the Odoo model of the scored records (the alerts' and exceptions' source)
    source_model: str = ""
    exception_type: str = "anomaly"
    # True: every run scores all the open records again (no watermark) and
    # resolves the alerts of those no longer found; False: only new records
    rescore_open: bool = False
    # the company's sensitivity never raises the threshold above this
    max_threshold: float | None = None
    # number of training records in a fetched history
    size: Callable[[Any], int] = _size


def register(detector):
    """Add ``detector`` to the registry (its reasons too). Returns it."""
    if detector.name in DETECTORS:
        raise ValueError(f"detector {detector.name!r} is already registered")
    clash = set(detector.reasons) & set(REASONS)
    if clash:
        raise ValueError(f"reason codes {sorted(clash)} are already registered")
    DETECTORS[detector.name] = detector
    REASONS.update(detector.reasons)
    return detector


def format_reason(reason, translate=None):
    template = REASONS[reason["code"]]
    if translate:
        return translate(template, **reason["params"])
    return template % reason["params"]


def explain(reasons, translate=None):
    return "; ".join(format_reason(reason, translate) for reason in reasons)
