from django.urls import path

from saferhub.rj import views

app_name = "rj"

urlpatterns = [
    path("", views.index, name="index"),
    path("refer/", views.refer, name="refer"),
    path("refer/from-hub/<int:pk>/", views.refer_from_hub, name="refer-from-hub"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/screen/", views.screen, name="screen"),
    path("cases/<int:pk>/approve-contact/", views.approve, name="approve"),
    path("cases/<int:pk>/parties/<int:party_pk>/consent/", views.consent, name="consent"),
    path("cases/<int:pk>/preparation/", views.meeting, name="meeting"),
    path("cases/<int:pk>/intervention/", views.intervention, name="intervention"),
    path("cases/<int:pk>/agreement/", views.action_add, name="action-add"),
    path("cases/<int:pk>/agreement/<int:action_pk>/", views.action_update, name="action-update"),
    path("cases/<int:pk>/follow-up/", views.follow_up, name="follow-up"),
    path("cases/<int:pk>/provider/", views.provider, name="provider"),
    path("cases/<int:pk>/provider/outcome/", views.provider_outcome, name="provider-outcome"),
    path("street/", views.street, name="street"),
    path("street/submit/", views.street_submit, name="street-submit"),
    path("register/", views.register, name="register"),
    path("register/new/", views.member_add, name="member-add"),
    path("register/<int:pk>/", views.member, name="member"),
    path("register/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("register/<int:pk>/erase/", views.member_erase, name="member-erase"),
    path("register/<int:pk>/training/", views.training_add, name="training-add"),
]
