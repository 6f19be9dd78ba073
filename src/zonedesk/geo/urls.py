from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("", views.zones, name="zones"),
    path("new/", views.zone_new, name="zone-new"),
    path("<int:pk>/edit/", views.zone_edit, name="zone-edit"),
    path("<int:pk>/parks/new/", views.park_new, name="park-new"),
    path("parks/<int:pk>/edit/", views.park_edit, name="park-edit"),
]
