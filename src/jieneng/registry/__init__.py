"""Maintaining the directory (名录库维护): the pages and use cases by which offices and departments
search, register and correct organisations, their yearly facts and regions, within their place.

The directory itself (its models and lookups) lives below the statistics store in
:mod:`jieneng.directory`; this app sits with the other domain apps, above accounts (whose scope it
checks) and the statistics store (whose roll-ups every change keeps right).
"""
