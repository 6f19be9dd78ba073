from django.contrib.auth import views as auth_views
from django.urls import path

from . import board, dashboard, directory, ledger, prefs, views

app_name = "web"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("projects/", ledger.ledger, name="project-list"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("projects/<int:pk>/advance/", views.project_advance, name="project-advance"),
    path("projects/<int:pk>/follow-up/", views.project_follow_up, name="project-follow-up"),
    path("projects/<int:pk>/requirements/", views.project_requirement, name="project-requirement"),
    path("projects/<int:pk>/hesitations/", views.project_hesitations, name="project-hesitations"),
    path("board/", board.board, name="board"),
    path("board/move/", board.move, name="board-move"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("enterprises/<int:pk>/", directory.enterprise_detail, name="enterprise-detail"),
    path("zones/<int:pk>/", directory.zone_detail, name="zone-detail"),
    path("units/<int:pk>/", directory.unit_detail, name="unit-detail"),
    path("views/save/", prefs.view_save, name="view-save"),
    path("views/<int:pk>/delete/", prefs.view_delete, name="view-delete"),
    path("zone/switch/", prefs.zone_switch, name="zone-switch"),
    path("language/", prefs.language_switch, name="language"),
    path("healthz", views.healthz, name="healthz"),
]
