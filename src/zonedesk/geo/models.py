from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zonedesk.access.scoping import RestrictedQuerySet, ScopeSpec
from zonedesk.core.models import ChangeLoggedModel

from .choices import RegionLevel, ZoneKind, ZoneLevel


class Region(models.Model):
    """An administrative division by its GB/T 2260 code. Public reference data, readable by all users."""

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        parts = []
        node: Region | None = self
        while node is not None:
            parts.append(node.name)
            node = node.parent
        return "".join(reversed(parts))


class Zone(ChangeLoggedModel):
    """A development zone (开发区), run by its administrative committee (管委会)."""

    name = models.CharField(_("开发区名称"), max_length=100, unique=True)
    aliases = models.JSONField(_("简称/别名"), default=list, blank=True, help_text=_("如 综改区、兴县经开区"))
    kind = models.CharField(_("类型"), max_length=16, choices=ZoneKind.choices)
    level = models.CharField(_("级别"), max_length=12, choices=ZoneLevel.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="zones"
    )
    committee = models.OneToOneField(
        "access.OrgUnit",
        verbose_name=_("管委会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_of",
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(zone="self", units=(), member_zone=True)

    class Meta:
        verbose_name = _("开发区")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class Park(ChangeLoggedModel):
    """A park inside a zone ("一区多园")."""

    zone = models.ForeignKey(Zone, verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="parks")
    name = models.CharField(_("园区名称"), max_length=100)
    area_mu = models.DecimalField(_("规划面积（亩）"), max_digits=12, decimal_places=2, null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(zone="zone", member_zone=True)

    class Meta:
        verbose_name = _("园区")
        ordering = ["zone_id", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="park_unique_name_in_zone")]

    def __str__(self) -> str:
        return self.name
