from django.urls import path

from zonedesk.identity import views as identity

from . import prefs, shell

# The workspace shell: sign-in, the start page, saved views, zone and language switches. The pages of the
# ledger, the board, the dashboard and the records live in their apps (each app's urls.py).
app_name = "web"
urlpatterns = [
    # Sign-in and sign-out belong to zonedesk.identity (lockout, session clocks); their URLs stay here.
    path("login/", identity.LoginView.as_view(), name="login"),
    path("logout/", identity.LogoutView.as_view(), name="logout"),
    path("", shell.home, name="home"),
    path("views/save/", prefs.view_save, name="view-save"),
    path("views/<int:pk>/delete/", prefs.view_delete, name="view-delete"),
    path("zone/switch/", prefs.zone_switch, name="zone-switch"),
    path("language/", prefs.language_switch, name="language"),
    path("healthz", shell.healthz, name="healthz"),
]
