from django.urls import path

from . import views

app_name = "ledgerio"
urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/apply/", views.batch_apply, name="apply"),
    path("batches/<int:pk>/undo/", views.batch_undo, name="undo"),
    path("batches/<int:pk>/annotated/", views.batch_annotated, name="annotated"),
    path("export/", views.export, name="export"),
]
