"""What a user keeps for themselves in the workspace: named ledger views."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A named ledger view: the page's query string (filters, sort, columns), per user.

    Personal preferences, not ledger data: not change-logged, never visible to anyone else.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(_("视图名称"), max_length=60)
    query = models.CharField(_("查询条件"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("保存的视图")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_unique_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name
