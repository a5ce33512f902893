from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Strategy")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .selectors import PLAN_ITEMS, plan_forget

        # The cached plan (selectors.plan_indicators) is forgotten on every write to it, whatever
        # the path: the plan's services, its spreadsheet import, the admin, loaddata.
        for model in PLAN_ITEMS:
            for signal in (post_save, post_delete):
                signal.connect(plan_forget, sender=model, dispatch_uid=f"plan_forget_{model}")
