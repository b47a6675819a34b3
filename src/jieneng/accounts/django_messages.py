"""Django's own messages whose Chinese translation in Django's catalogue is missing or outdated; naming
them here keeps them in the project's catalogue, which takes precedence."""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
