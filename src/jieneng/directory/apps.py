from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "jieneng.directory"
    verbose_name = _("Registry of organisations")
