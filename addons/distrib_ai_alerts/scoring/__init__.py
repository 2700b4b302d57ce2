"""Scoring core of distrib_ai_alerts: plain Python and numpy, no Odoo import."""

from .detectors import (
    DEFAULT_THRESHOLD,
    DETECTORS,
    FIT,
    REASONS,
    SCORE,
    THRESHOLDS,
    VERSIONS,
    explain,
    format_reason,
)
from .robust import GroupModel, score_from_z, severity_from_score
