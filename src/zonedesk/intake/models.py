"""A text someone fed in, and the sentences in it that a ledger change rests on."""

from __future__ import annotations

from django.db import models

from zonedesk.core.models import ChangeLoggedModel


class DocumentKind(models.TextChoices):
    PASTE = "paste", "粘贴文本"
    TXT = "txt", "文本文件"
    DOCX = "docx", "Word 文档"
    PDF = "pdf", "PDF 文档"


class SourceDocument(ChangeLoggedModel):
    """A pasted or uploaded text, with what the extractor found in it and what was decided.

    ``extraction`` is the extractor's JSON (the ``zonedesk extract --json`` shape) so a review
    reads the same candidates it was shown; ``decisions`` maps a candidate's index to what the
    user did with it ({"action": "created" | "updated" | "discarded", "project": id}).
    """

    title = models.CharField("标题", max_length=200)
    kind = models.CharField("来源类型", max_length=8, choices=DocumentKind.choices)
    filename = models.CharField("文件名", max_length=255, blank=True)
    text = models.TextField("正文")
    sha256 = models.CharField("正文摘要", max_length=64, db_index=True)
    zone = models.ForeignKey(
        "geo.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="source_documents"
    )
    published = models.DateField("发布日期", null=True, blank=True)
    extraction = models.JSONField("提取结果", default=dict)
    decisions = models.JSONField("处理结果", default=dict)

    class Meta:
        verbose_name = "来源文本"
        verbose_name_plural = "来源文本"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Evidence(ChangeLoggedModel):
    """The sentence of a source document that a project was created or updated from.

    ``start``/``end`` are character offsets into ``document.text``: sentence == text[start:end].
    """

    ACTIONS = [("created", "新建项目"), ("updated", "更新项目"), ("linked", "关联（无变化）")]

    document = models.ForeignKey(
        SourceDocument, verbose_name="来源文本", on_delete=models.PROTECT, related_name="evidence"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="evidence"
    )
    candidate_index = models.PositiveIntegerField("候选序号")
    sentence = models.TextField("依据原句")
    start = models.PositiveIntegerField("起始位置")
    end = models.PositiveIntegerField("结束位置")
    action = models.CharField("处理", max_length=8, choices=ACTIONS)
    extracted = models.JSONField("提取值", default=dict)
    written = models.JSONField("写入字段", default=dict)

    class Meta:
        verbose_name = "提取依据"
        verbose_name_plural = "提取依据"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document} → {self.project_id}"
