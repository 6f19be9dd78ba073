from django.urls import include, path

from zonedesk.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("zonedesk.web.urls")),
]
