from django.urls import path

from saferhub.victims import views

app_name = "victims"

urlpatterns = [
    path("", views.index, name="index"),
    path("triage/", views.triage, name="triage"),
    path("cases/", views.open_cases, name="open-cases"),
    path("referrals/new/", views.create, name="referral-create"),
    path("referrals/<int:pk>/", views.detail, name="referral"),
    path("referrals/<int:pk>/details/", views.edit_details, name="edit-details"),
    path("referrals/<int:pk>/accept/", views.accept, name="accept"),
    path("referrals/<int:pk>/contact/", views.contact_attempt, name="contact-attempt"),
    path("referrals/<int:pk>/scores/", views.start_scores, name="start-scores"),
    path("referrals/<int:pk>/care-plan/", views.care_plan_add, name="care-plan-add"),
    path("referrals/<int:pk>/care-plan/<int:item_pk>/", views.care_plan_update, name="care-plan-update"),
    path("referrals/<int:pk>/support/", views.support_add, name="support-add"),
    path("referrals/<int:pk>/safety-items/", views.safety_item_add, name="safety-item-add"),
    path("referrals/<int:pk>/onward/", views.onward_add, name="onward-add"),
    path("referrals/<int:pk>/onward/<int:onward_pk>/", views.onward_outcome, name="onward-outcome"),
    path("referrals/<int:pk>/rj-referral/", views.rj_referral, name="rj-referral"),
    path("referrals/<int:pk>/rights/", views.right_record, name="right-record"),
    path("referrals/<int:pk>/rights/several/", views.rights_record, name="rights-record"),
    path("referrals/<int:pk>/rj-informed/", views.rj_informed, name="rj-informed"),
    path("referrals/<int:pk>/close/", views.close, name="close"),
    path("targets/", views.targets, name="targets"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/team/", views.set_team, name="set-team"),
    path("settings/first-contact/", views.add_setting, name="add-setting"),
]
