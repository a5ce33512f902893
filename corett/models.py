from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A portal account. What it may see and do is decided in corett/access.py, from its role."""

    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        FOCAL_POINT = "focal_point", _("Country focal point")
        OBSERVER = "observer", _("Observer")

    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.OBSERVER)
    country = models.ForeignKey(
        "strategy.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("country"),
        help_text=_("Only for focal points: the one country whose data they submit."),
    )

    def role_label(self) -> str:
        """The account as others are told of it: its role, and a focal point's country."""
        if self.role == self.Role.FOCAL_POINT and self.country_id:
            return _("focal point, %(country)s") % {"country": self.country.name}
        if self.role == self.Role.SECRETARIAT or self.is_superuser:
            return str(_("secretariat"))
        return str(_("observer"))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="focal_point", country__isnull=False)
                    | (~models.Q(role="focal_point") & models.Q(country__isnull=True))
                ),
                name="focal_points_and_only_they_have_a_country",
            )
        ]
