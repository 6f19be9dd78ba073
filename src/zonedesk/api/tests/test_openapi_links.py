"""The OpenAPI document declares links from the operations that create the main resources to those that
read and change them (for clients and CI's stateful fuzzing), and keeps its paths and field names."""

import json

import pytest


@pytest.fixture
def schema(db, client):
    return json.loads(client.get("/api/v1/openapi.json").content)


def links(schema, method, path, status):
    found = schema["paths"][path][method]["responses"][status].get("links", {})
    return {name: link["parameters"] for name, link in found.items()}


def test_created_project_links_to_get_patch_advance_and_follow_ups(schema):
    assert links(schema, "post", "/api/v1/projects", "201") == {
        name: {"project_id": "$response.body#/id"}
        for name in (
            "zonedesk_api_v1_get_project",
            "zonedesk_api_v1_update_project",
            "zonedesk_api_v1_advance_project",
            "zonedesk_api_v1_project_missing",
            "zonedesk_api_v1_project_history",
            "zonedesk_api_v1_project_stage_log",
            "zonedesk_api_v1_list_follow_ups",
            "zonedesk_api_v1_add_follow_up",
            "zonedesk_api_v1_delete_project",
        )
    }
    assert links(schema, "post", "/api/v1/projects/{project_id}/follow-ups", "201") == {
        "zonedesk_api_v1_list_follow_ups": {"project_id": "$request.path.project_id"}
    }


def test_created_enterprise_and_issue_link_to_their_operations(schema):
    assert set(links(schema, "post", "/api/v1/enterprises", "201")) == {
        "zonedesk_api_v1_get_enterprise",
        "zonedesk_api_v1_update_enterprise",
        "zonedesk_api_v1_delete_enterprise",
    }
    assert links(schema, "post", "/api/v1/dispatch/issues", "201") == {
        "zonedesk_dispatch_api_get_issue": {"issue_id": "$response.body#/id"},
        "zonedesk_dispatch_api_close_issue": {"issue_id": "$response.body#/id"},
    }


def test_ids_and_pages_are_documented_as_positive_64_bit_integers(schema):
    (param,) = schema["paths"]["/api/v1/projects/{project_id}"]["get"]["parameters"]
    assert param["schema"] == {"maximum": 2**63 - 1, "minimum": 1, "title": "Project Id", "type": "integer"}
    page = next(p for p in schema["paths"]["/api/v1/zones"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["minimum"] == 1 and page["schema"]["maximum"] == 2**63 - 1
