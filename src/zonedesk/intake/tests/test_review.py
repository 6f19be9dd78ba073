"""The review page names stages and fact kinds the way the rest of the ledger does."""

from django.utils import translation

from zonedesk.intake.review import candidates_for, kind_label, stage_label
from zonedesk.projects.rules import get_rules


def test_stage_labels_are_the_ledgers_stage_names():
    rules = get_rules()
    assert (
        [stage_label(code) for code in rules.order]
        == [rules.label(code) for code in rules.order]
        == [
            "储备",
            "在谈",
            "签约",
            "落地（入区）",
            "供地",
            "开工",
            "投产",
            "达产",
        ]
    )
    assert (stage_label(""), stage_label("completed")) == ("", "")


def test_stage_and_kind_labels_follow_the_readers_language():
    with translation.override("en"):
        assert (stage_label("landed"), stage_label("signed")) == ("Landed (in zone)", "Signed")
        assert (kind_label("money"), kind_label("stage"), kind_label("other")) == ("Amount", "Stage", "other")


def test_each_candidate_carries_its_stage_label(world, document):
    assert [c["stage_label"] for c in candidates_for(world.officer_a, document)] == ["签约", "开工"]
