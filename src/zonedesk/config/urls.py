from django.urls import include, path

from zonedesk.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("ledger-io/", include("zonedesk.ledgerio.urls")),
    path("intake/", include("zonedesk.intake.urls")),
    path("dispatch/", include("zonedesk.dispatch.urls")),
    path("", include("zonedesk.web.urls")),
]
