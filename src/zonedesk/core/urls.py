from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.home, name="home"),
    path("export.csv", views.export, name="export"),
]
