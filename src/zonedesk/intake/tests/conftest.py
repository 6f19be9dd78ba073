import pytest

TEXT = (
    "长治高新区举行重点项目集中签约。其中，山西华兴新材料有限公司年产5万吨铝材项目总投资3.2亿元，占地120亩。\n"
    "另悉，长治高新区生物医药产业园二期项目已开工，项目总投资8000万元。"
)


@pytest.fixture
def text():
    return TEXT


@pytest.fixture
def document(world):
    from zonedesk.core.audit import acting_as
    from zonedesk.intake.services import document_create

    with acting_as(world.officer_a, source="test"):
        return document_create(user=world.officer_a, zone=world.zone_a.pk, text=TEXT, title="集中签约报道")
