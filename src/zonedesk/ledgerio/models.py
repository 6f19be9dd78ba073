"""One import of a ledger file: who, into which zone, what it wrote, and what undoing it restores."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    """A ledger file taken in for a zone.

    A web upload is stored first as ``pending`` (previewed, nothing written); a file that cannot be
    read (damaged, or over an upload limit) is marked ``failed`` once, with ``error_message``, and never
    parsed again; pending and failed batches and their files are removed after
    ``ZONEDESK_UPLOAD_RETENTION_DAYS`` (``zonedesk cleanup uploads``); applying writes every
    row in one transaction and keeps what is needed to undo it: the ids it created and, for every
    project it changed, the field values before and the version it left the project at.
    """

    PENDING, APPLIED, UNDONE, FAILED = "pending", "applied", "undone", "failed"
    STATUSES = [(PENDING, "待确认"), (APPLIED, "已导入"), (UNDONE, "已撤销"), (FAILED, "读取失败")]

    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    zone = models.ForeignKey("geo.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=16, default="web")
    file_name = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField("文件 SHA-256", max_length=64, db_index=True)
    file = models.FileField("文件", upload_to="ledgerio/%Y/%m/", blank=True)
    sheet = models.CharField("工作表", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=PENDING)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变", default=0)
    error_count = models.PositiveIntegerField("错误", default=0)
    error_message = models.TextField("失败原因", blank=True)
    warning_count = models.PositiveIntegerField("提示", default=0)
    created_ids = models.JSONField("新增项目", default=list)
    updated_ids = models.JSONField("更新项目", default=list)
    created_enterprise_ids = models.JSONField("新增企业", default=list)
    # {project id: {"fields": {field: value before}, "investors": [ids] | null, "version": version after}}
    undo_state = models.JSONField(default=dict)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "导入批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"导入批次 #{self.pk} {self.file_name}"
