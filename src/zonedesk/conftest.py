import pytest

from zonedesk.testing.browser import chromium, open_as, screenshot  # noqa: F401  (browser-test fixtures)


@pytest.fixture
def world(db):
    from zonedesk.testing.world import build_world

    return build_world()


@pytest.fixture
def api_client():
    from django.test import Client

    return Client()


@pytest.fixture
def token_for(db):
    """A bearer header for a user, issued the way `zonedesk token create` issues it."""
    from zonedesk.access.services import token_create
    from zonedesk.core.audit import acting_as

    def make(user):
        with acting_as(user, source="test"):
            return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}

    return make
