"""jieneng (节能): the energy-saving target responsibility system for Chinese energy-saving offices."""

__version__ = "0.1.0"
