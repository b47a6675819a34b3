"""The statistics store, below every domain app: approved energy records, the roll-up tables and their
upkeep, the freshness stamps, the bulk writer, and the read services every domain uses.

Reporting writes into it on approval (:mod:`~jieneng.statistics.records`); dashboards, and the
domains that follow, read from it (:mod:`~jieneng.statistics.figures`,
:mod:`~jieneng.statistics.records`). It imports the directory, the reference data and the core, and
nothing of the apps above it.
"""
