from django.urls import path

from . import views

app_name = "dispatch"
urlpatterns = [
    path("", views.home, name="home"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>/report/", views.report_submit, name="report-submit"),
    path("periods/<int:pk>/close/", views.period_close, name="period-close"),
    path("plans/", views.plans, name="plans"),
    path("issues/", views.issues, name="issues"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("bulletin.<str:fmt>", views.bulletin, name="bulletin"),
    path("cycles/", views.cycles, name="cycles"),
    path("cycles/new/", views.cycle_new, name="cycle-new"),
    path("cycles/<int:pk>/edit/", views.cycle_edit, name="cycle-edit"),
    path("cycles/<int:pk>/open/", views.cycle_open_period, name="cycle-open-period"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report-correct"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice-read"),
]
