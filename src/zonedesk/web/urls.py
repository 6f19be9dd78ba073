from django.contrib.auth import views as auth_views
from django.urls import path

from . import prefs, shell

# The workspace shell: sign-in, the start page, saved views, zone and language switches. The pages of the
# ledger, the board, the dashboard and the records live in their apps (each app's urls.py).
app_name = "web"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", shell.home, name="home"),
    path("views/save/", prefs.view_save, name="view-save"),
    path("views/<int:pk>/delete/", prefs.view_delete, name="view-delete"),
    path("zone/switch/", prefs.zone_switch, name="zone-switch"),
    path("language/", prefs.language_switch, name="language"),
    path("healthz", shell.healthz, name="healthz"),
]
