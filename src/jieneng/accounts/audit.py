"""The audit trail: django-auditlog records every create, change and delete of the registered models
with the acting user (set by its middleware for pages, by the token check for the API).

Submissions are audited by their own revisions and review events (:mod:`jieneng.reporting`)."""

from __future__ import annotations

#: the ``cid`` of the entries a change through an API token made: the mark and the token's id
TOKEN_MARK = "api-token:"  # noqa: S105 (a label, not a secret)


def token_id(cid: str | None) -> int | None:
    """The id of the token that made a change, from its entry's ``cid``; None for a page's change."""
    if cid and cid.startswith(TOKEN_MARK) and cid[len(TOKEN_MARK) :].isdigit():
        return int(cid[len(TOKEN_MARK) :])
    return None


def register() -> None:
    from auditlog.registry import auditlog
    from django.contrib.auth import get_user_model

    from jieneng.accounts.models import ApiToken, Membership
    from jieneng.directory.models import Organisation, OrganisationYear, Region

    for model in (Region, Organisation, OrganisationYear, Membership):
        if not auditlog.contains(model):
            auditlog.register(model)
    if not auditlog.contains(ApiToken):
        auditlog.register(ApiToken, exclude_fields=["digest", "last_used_at"])
    user = get_user_model()
    if not auditlog.contains(user):
        auditlog.register(user, exclude_fields=["password", "last_login"])
