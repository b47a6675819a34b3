"""Reading users' files into frames for the core, and writing results out. The core never opens a file.

- :func:`read_longform` consumption in long form (.csv in UTF-8 or GBK, .xlsx, .xls)
- :func:`read_facts`    yearly building area and 用能人数 per unit
- :class:`Problem`, :class:`ReadResult`, :func:`render`, :func:`describe`  what went wrong, where
"""

from jieneng.i18n import describe, render
from jieneng.io.facts import read_facts
from jieneng.io.longform import read_longform
from jieneng.io.problems import Problem, ReadResult

__all__ = ["Problem", "ReadResult", "describe", "read_facts", "read_longform", "render"]
