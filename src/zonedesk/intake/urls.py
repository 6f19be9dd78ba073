from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.document, name="document"),
    path("<int:pk>/candidates/<int:index>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/candidates/<int:index>/discard/", views.discard, name="discard"),
]
