"""``zonedesk search reindex`` rebuilds documents that are missing or stale."""

from zonedesk.cli import main
from zonedesk.projects.models import ProjectSearchDoc
from zonedesk.projects.selectors import ProjectFilters, project_list


def test_reindex_restores_a_lost_search_document(world, capsys):
    project = world.project(name="碳化硅衬底项目")
    ProjectSearchDoc.objects.filter(project=project).delete()
    assert list(project_list(world.admin, ProjectFilters(q="碳化硅")).values_list("pk", flat=True)) == []

    assert main(["search", "reindex"]) == 0

    assert list(project_list(world.admin, ProjectFilters(q="碳化硅")).values_list("pk", flat=True)) == [
        project.pk
    ]
    assert capsys.readouterr().out.strip() == f"已重建 {ProjectSearchDoc.objects.count()} 个项目的检索索引"


def test_reindex_of_one_zone_leaves_other_zones_alone(world, capsys):
    mine = world.project(name="碳化硅衬底项目")
    other = world.project(world.zone_b, name="碳化硅外延项目")
    ProjectSearchDoc.objects.all().delete()

    assert main(["search", "reindex", "--zone", world.zone_a.name]) == 0

    assert list(ProjectSearchDoc.objects.values_list("project_id", flat=True)) == [mine.pk]
    assert other.pk != mine.pk
    assert capsys.readouterr().out.strip() == "已重建 1 个项目的检索索引"


def test_reindex_names_an_unknown_zone(world, capsys):
    assert main(["search", "reindex", "--zone", "不存在开发区"]) == 2
    assert capsys.readouterr().err.strip() == "错误：找不到开发区“不存在开发区”（请用编号、全称或简称）"
