"""The Django project: settings, URLs, and the launcher used by ``jieneng demo`` and ``jieneng manage``."""
