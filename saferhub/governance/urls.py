from django.urls import path

from saferhub.governance import views

app_name = "governance"

urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/commitments/add/", views.commitment_add, name="commitment-add"),
    path("commitments/<int:pk>/status/", views.commitment_status, name="commitment-status"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/add/", views.activity_add, name="activity-add"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
]
