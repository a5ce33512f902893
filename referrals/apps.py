from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


def keep_search_text(sender, instance, **kwargs):
    """The actor's normalised search column follows its texts, however it is saved: forms,
    imports, the admin, and fixtures (loaddata saves raw, without calling Model.save)."""
    instance.search_text = instance.searchable_text()


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referral directory")

    def ready(self):
        from .models import Actor

        pre_save.connect(keep_search_text, sender=Actor, dispatch_uid="referrals_search_text")
