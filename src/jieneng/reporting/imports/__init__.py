"""Importing a filled statistics form: keep the file, read it, check it, and store it all or nothing.

One module per step, in the order of an import:

* :mod:`.receive` keeps the uploaded file in ``UPLOADS_DIR/<job id>/`` and creates its queued
  :class:`~jieneng.reporting.models.ImportJob`;
* :mod:`.run` runs the job (the task worker, the command line, small uploads inside the request):
  it **reads** the file (:func:`jieneng.io.formfile.read_form_file`, every cell problem a record),
  finds the organisations (:mod:`jieneng.directory.lookup`) and **checks** the rows
  (:func:`jieneng.core.validation.validate`);
* :mod:`.context` builds what the checks compare with from what is stored: approved history,
  existing submissions, building areas;
* :mod:`.store` writes, only when no problem blocks and in one transaction, each row as a new
  submission, a new revision of a submission whose values changed, or nothing when the values are
  those of the current revision (importing the same file twice changes nothing the second time);
  online filling and the demo store through it too;
* :mod:`.report` keeps every problem in ``report.json`` beside the file and gives what the pages,
  the command line and the API show of a job.

The job row holds the status and counts the pages show; ``progress.json`` beside the file tells how
far the storing has gone (the job row itself cannot be updated from inside the storing transaction).
"""
