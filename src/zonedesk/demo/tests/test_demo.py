import pytest

from zonedesk.access.models import User
from zonedesk.access.scoping import restrict
from zonedesk.projects.choices import HesitationReason, Stage, Status
from zonedesk.projects.models import Project, ProjectHesitation


@pytest.fixture
def demo(db):
    from zonedesk.demo.loader import build_demo

    return build_demo(size=120, seed=7)


def test_demo_has_the_field_projects_and_every_stage_status_and_reason(demo):
    assert (demo.zones, demo.projects) == (10, 136)
    assert Project.objects.count() == 136
    assert Project.objects.filter(
        name="天然气（煤层气）液化储气调峰提氢项目", total_investment_wan=115000, stage="signed"
    ).exists()
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(Project.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(ProjectHesitation.objects.values_list("reason", flat=True)) == set(HesitationReason.values)


def test_demo_accounts_see_their_scope(demo):
    def names(username):
        return set(
            restrict(User.objects.get(username=username), "view", Project).values_list(
                "zone__name", flat=True
            )
        )

    assert len(names("sheng")) == 10
    assert names("changzhi") == {"长治高新技术产业开发区"}
    assert names("gaoxin") == {"长治高新技术产业开发区"}
    assert names("xingxian") == {"兴县经济技术开发区"}
    yiyao = User.objects.get(username="yiyao")
    visible = restrict(yiyao, "view", Project)
    assert visible.exists()
    assert all(
        yiyao.unit_id in (p.pursuing_unit_id, p.referring_unit_id)
        or p.responsible_officer_id == yiyao.pk
        or p.created_by_id == yiyao.pk
        for p in visible
    )


def test_demo_is_reproducible_for_a_seed(db):
    from zonedesk.demo.loader import DemoBuilder

    builder = DemoBuilder(seed=7)
    import random

    names = [
        __import__("zonedesk.demo.names", fromlist=["project_name"]).project_name(random.Random(7), i)
        for i in range(3)
    ]
    again = [
        __import__("zonedesk.demo.names", fromlist=["project_name"]).project_name(random.Random(7), i)
        for i in range(3)
    ]
    assert names == again and builder.rng.random() == random.Random(7).random()
