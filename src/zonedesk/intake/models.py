"""A text someone fed in, and the sentences in it that a ledger change rests on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zonedesk.core.models import ChangeLoggedModel


class DocumentKind(models.TextChoices):
    PASTE = "paste", pgettext_lazy("document kind", "粘贴文本")  # the form's label is the imperative
    TXT = "txt", _("文本文件")
    DOCX = "docx", _("Word 文档")
    PDF = "pdf", _("PDF 文档")


class SourceDocument(ChangeLoggedModel):
    """A pasted or uploaded text, with what the extractor found in it and what was decided.

    ``extraction`` is the extractor's JSON (the ``zonedesk extract --json`` shape) so a review
    reads the same candidates it was shown; ``decisions`` maps a candidate's index to what the
    user did with it ({"action": "created" | "updated" | "discarded", "project": id}).
    """

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("来源类型"), max_length=8, choices=DocumentKind.choices)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    text = models.TextField(_("正文"))
    sha256 = models.CharField(_("正文摘要"), max_length=64, db_index=True)
    zone = models.ForeignKey(
        "geo.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="source_documents"
    )
    published = models.DateField(_("发布日期"), null=True, blank=True)
    extraction = models.JSONField(_("提取结果"), default=dict)
    decisions = models.JSONField(_("处理结果"), default=dict)

    class Meta:
        verbose_name = _("来源文本")
        verbose_name_plural = _("来源文本")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Evidence(ChangeLoggedModel):
    """The sentence of a source document that a project was created or updated from.

    ``start``/``end`` are character offsets into ``document.text``: sentence == text[start:end].
    """

    ACTIONS = [("created", _("新建项目")), ("updated", _("更新项目")), ("linked", _("关联（无变化）"))]

    document = models.ForeignKey(
        SourceDocument, verbose_name=_("来源文本"), on_delete=models.PROTECT, related_name="evidence"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="evidence"
    )
    candidate_index = models.PositiveIntegerField(_("候选序号"))
    sentence = models.TextField(_("依据原句"))
    start = models.PositiveIntegerField(_("起始位置"))
    end = models.PositiveIntegerField(_("结束位置"))
    action = models.CharField(_("处理"), max_length=8, choices=ACTIONS)
    extracted = models.JSONField(_("提取值"), default=dict)
    written = models.JSONField(_("写入字段"), default=dict)

    class Meta:
        verbose_name = _("提取依据")
        verbose_name_plural = _("提取依据")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document} → {self.project_id}"
