from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zonedesk.access.scoping import RestrictedQuerySet, ScopeSpec
from zonedesk.core.models import ChangeLoggedModel

from .choices import IndustryLevel


class IndustryCode(models.Model):
    """GB/T 4754 national economic industry classification, stored with its version."""

    version = models.CharField(_("分类标准版本"), max_length=20, default="GB/T 4754-2017")
    code = models.CharField(_("代码"), max_length=5, help_text=_("门类字母或 2/3/4 位数字，如 C、39、391"))
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("国民经济行业分类")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="industry_unique_code_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.full_code} {self.name}"

    @property
    def full_code(self) -> str:
        """Registry style: the section letter before digits, e.g. ``C39``."""
        if self.level == IndustryLevel.SECTION:
            return self.code
        node = self
        while node.parent_id is not None:
            node = node.parent
        return f"{node.code}{self.code}"


class Enterprise(ChangeLoggedModel):
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    former_names = models.JSONField(_("曾用名"), default=list, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True)
    uscc_warning = models.CharField(_("代码提示"), max_length=200, blank=True)
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("注册地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        IndustryCode,
        verbose_name=_("所属行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tags = models.JSONField(_("企业标签"), default=list, blank=True)
    in_zone = models.BooleanField(_("区内企业"), default=False)
    zone = models.ForeignKey(
        "geo.Zone",
        verbose_name=_("所在/管理开发区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    normalized_name = models.CharField(max_length=200, db_index=True, editable=False, default="")
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = RestrictedQuerySet.as_manager()
    # An enterprise is kept by a zone, and is also visible to whoever can see a project it invests in.
    scope = ScopeSpec(zone="zone", owners=("created_by",), via=(("investors", "projects.Project"),))

    class Meta:
        verbose_name = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(ChangeLoggedModel):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("联系人"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)

    class Meta:
        verbose_name = _("企业联系人")

    def __str__(self) -> str:
        return self.name
