"""Scoring core of distrib_ai_alerts: plain Python and numpy, no Odoo import."""

from . import detectors  # registers the detectors
from .registry import DETECTORS, REASONS, Detector, explain, format_reason, register
from .robust import GroupModel, score_from_z, severity_from_score
