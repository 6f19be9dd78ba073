from django.urls import include, path

from zonedesk.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("ledger-io/", include("zonedesk.ledgerio.urls")),
    path("intake/", include("zonedesk.intake.urls")),
    path("dispatch/", include("zonedesk.dispatch.urls")),
    # The administration pages (until the hub collects each AppConfig's url_prefix).
    path("manage/zones/", include("zonedesk.geo.urls")),
    path("manage/", include("zonedesk.access.urls")),
    path("", include("zonedesk.web.urls")),
]
