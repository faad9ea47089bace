from django.urls import path

from . import views

PLAN = "plans/<slug:slug>/"

# plans/new/ comes before plans/<slug>/ in indicators/urls.py; "new" is a reserved slug.
urlpatterns = [
    path("plans/new/", views.plan_create, name="plan_create"),
    path(f"{PLAN}manage/", views.plan_manage, name="plan_manage"),
    path(f"{PLAN}close/", views.plan_close, name="plan_close"),
    path(f"{PLAN}reopen/", views.plan_reopen, name="plan_reopen"),
    path(f"{PLAN}copy-indicators/", views.indicators_copy, name="plan_copy_indicators"),
    path(f"{PLAN}base-values/", views.base_values_confirm, name="plan_base_values_confirm"),
    path(f"{PLAN}indicators/<int:number>/revise/", views.target_revise, name="target_revise"),
    path("revisions/<int:pk>/withdraw/", views.revision_withdraw, name="revision_withdraw"),
]
