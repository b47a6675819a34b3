"""Writers of official documents (:class:`jieneng.core.document.Document`): Word, PDF, Excel."""
