"""Running the site: the health endpoint, the task worker's heartbeat, the log lines of requests and
jobs, and the backup and restore commands (docs/deploy.md)."""
