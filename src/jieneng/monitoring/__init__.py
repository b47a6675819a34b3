"""Monitoring: meters, interval readings in a Parquet store queried by DuckDB, roll-ups and anomalies."""
