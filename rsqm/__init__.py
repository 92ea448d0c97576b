"""rsqm: quality evidence for restorative justice services."""

__version__ = "0.1.0"
