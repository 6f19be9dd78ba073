from django.urls import path

from . import board, dashboard, directory, ledger, views

app_name = "projects"
urlpatterns = [
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
]
