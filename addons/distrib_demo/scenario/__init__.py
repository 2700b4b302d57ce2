"""Plain-Python parts of the demo scenario: reference data and the planner."""

from . import catalog, planner
