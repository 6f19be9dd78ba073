from django.urls import path

from . import views

# /account/…; the login and logout pages are /login/ and /logout/ (web/urls.py routes them to this app).
app_name = "identity"
urlpatterns = [
    path("password/", views.password_change, name="password-change"),
    path("reset/", views.password_reset, name="password-reset"),
    path("locks/", views.locks, name="locks"),
    path("locks/unlock/", views.unlock, name="unlock"),
]
