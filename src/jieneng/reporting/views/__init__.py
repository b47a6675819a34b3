"""Pages of reporting, one module per page group: the reporter's home and templates
(:mod:`.home`), uploads and their reports (:mod:`.uploads`), the online form (:mod:`.filling`),
the review queue and its actions (:mod:`.queue`), one submission (:mod:`.submission`) and who has
not reported (:mod:`.overdue`).

Every view reads rows through ``request.scope``: what lies outside the user's place answers 404 as if
it did not exist; what the user may see but not act on answers 403 with a plain message."""
