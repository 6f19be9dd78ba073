"""Reminders of missing reports (调度提醒): each cycle's dispatchers, the notices they receive, and the
default roles' permission to read and mark them (new installations get it from the roles' defaults)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


NOTICE_ACTIONS = {
    "province_admin": ["view", "change"],
    "bureau_officer": ["view", "change"],
    "zone_officer": ["view", "change"],
    "department_officer": ["view", "change"],
    "viewer": ["view", "change"],
}


def add_permissions(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    for role in Role.objects.filter(code__in=NOTICE_ACTIONS):
        perms = dict(role.permissions or {})
        perms.setdefault("missingreportnotice", list(NOTICE_ACTIONS[role.code]))
        role.permissions = perms
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0002_role_permissions"),
        ("access", "0002_initial"),
        ("geo", "0002_load_regions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reportingcycle",
            name="dispatchers",
            field=models.ManyToManyField(
                blank=True,
                help_text="接收未报送提醒（调度工作台和邮件）",
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="调度员",
            ),
        ),
        migrations.CreateModel(
            name="MissingReportNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                ("sent_on", models.DateField(verbose_name="提醒日期")),
                ("subject", models.CharField(max_length=200, verbose_name="标题")),
                ("body", models.TextField(verbose_name="内容")),
                ("missing", models.JSONField(default=list, verbose_name="未报送清单")),
                ("missing_units", models.PositiveIntegerField(default=0, verbose_name="未报送单位数")),
                ("missing_projects", models.PositiveIntegerField(default=0, verbose_name="未报送项目数")),
                ("email", models.CharField(blank=True, max_length=254, verbose_name="邮件地址")),
                ("emailed_at", models.DateTimeField(blank=True, null=True, verbose_name="邮件发送时间")),
                (
                    "email_error",
                    models.CharField(blank=True, max_length=300, verbose_name="邮件发送失败原因"),
                ),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="阅读时间")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="创建人",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notices",
                        to="dispatch.reportingperiod",
                        verbose_name="期次",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="接收人",
                    ),
                ),
                (
                    "zone",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.zone",
                        verbose_name="开发区",
                    ),
                ),
            ],
            options={
                "verbose_name": "调度提醒",
                "ordering": ["-sent_on", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("period", "recipient", "sent_on"), name="notice_once_per_period_recipient_day"
                    )
                ],
            },
        ),
        migrations.RunPython(add_permissions, migrations.RunPython.noop),
    ]
