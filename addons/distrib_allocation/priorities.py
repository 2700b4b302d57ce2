"""Allocation priorities: the classes and their ranks (higher is served first)."""

PRIORITIES = [
    ("strategic", "Strategic"),
    ("key", "Key"),
    ("standard", "Standard"),
]
RANKS = {"strategic": 30, "key": 20, "standard": 10}
DEFAULT_PRIORITY = "standard"
# severity of the shortage exception of an order, by its priority
SEVERITIES = {"strategic": "critical", "key": "high", "standard": "medium"}
