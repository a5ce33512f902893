from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorettConfig(AppConfig):
    name = "corett"
    verbose_name = _("Portal")
