from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("", views.home, name="home"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user-new"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/active/", views.user_active, name="user-active"),
    path("users/<int:pk>/grants/new/", views.grant_new, name="grant-new"),
    path("grants/<int:pk>/delete/", views.grant_delete, name="grant-delete"),
    path("units/", views.units, name="units"),
    path("units/new/", views.unit_new, name="unit-new"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("reference/", views.reference, name="reference"),
]
