"""The pure domain core: no Django, no I/O. Plain values and Polars frames in, the same out.

- :mod:`jieneng.core.units`      units of measure and Chinese scale words (万, 亿)
- :mod:`jieneng.core.coal`       conversion to standard coal (GB/T 2589)
- :mod:`jieneng.core.indicators` public-institution and regional indicators
- :mod:`jieneng.core.regions`    the region tree: ancestors and roll-ups
- :mod:`jieneng.core.problems`   every problem code, declared once: severity, message, parameters
- :mod:`jieneng.core.errors`     errors with stable codes and translatable messages
"""
