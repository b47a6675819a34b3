"""Targets and responsibility (节能目标责任制): targets on the computed indicators or on counted quantities,
passed down to the regions and units below, their counted reports and the history of their changes.

The arithmetic is :mod:`jieneng.core.targets`; :mod:`jieneng.targets.services` reads the roll-ups through
:mod:`jieneng.statistics.figures` and records the warning rule and coefficient sets each figure used."""
