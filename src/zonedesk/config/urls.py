"""The URL hub: the API root, then each app's URLs at the prefix its AppConfig declares (``url_prefix``)."""

from django.urls import include, path

from zonedesk.api.v1 import api
from zonedesk.core.contributions import url_modules

urlpatterns = [
    path("api/v1/", api.urls),
    *(path(prefix, include(module)) for prefix, module in url_modules()),
]
