from django.urls import path

from . import views

app_name = "factors"
urlpatterns = [
    path("", views.home, name="home"),
    path("enrol/", views.enrol, name="enrol"),
    path("verify/", views.verify, name="verify"),
    path("recovery/", views.recovery_renew, name="recovery-renew"),
    path("reset/<int:pk>/", views.reset, name="reset"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
