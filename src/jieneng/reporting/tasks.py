"""Background work: large imports run in the task worker (``jieneng manage worker``), not in the
request, so that the site keeps answering while a 200,000-row file is stored."""

from __future__ import annotations

from django_tasks import task

from jieneng.reporting.imports.run import run_import


@task()
def import_task(job_id: str) -> str:
    """Run the import of job ``job_id``; its status and report are on the job itself."""
    return str(run_import(job_id).status)
