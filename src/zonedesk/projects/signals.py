"""Keep each project's search document in step with the project and its investors' names."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import search
from .models import Project, ProjectInvestor


@receiver(post_save, sender=Project, dispatch_uid="project-search-doc")
def _project_saved(sender, instance: Project, raw: bool = False, **kwargs) -> None:
    if not raw:
        search.reindex([instance.pk])


@receiver(post_save, sender="enterprises.Enterprise", dispatch_uid="enterprise-search-doc")
def _enterprise_saved(sender, instance, raw: bool = False, created: bool = False, **kwargs) -> None:
    if raw or created:
        return
    search.reindex(ProjectInvestor.objects.filter(enterprise=instance).values_list("project_id", flat=True))
