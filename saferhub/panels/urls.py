from django.urls import path

from saferhub.panels import referral_views, views

app_name = "panels"

# "caseref" is registered by the cases app when it is ready.

urlpatterns = [
    path("", views.index, name="index"),
    path("actions/overdue/", views.overdue_actions, name="overdue-actions"),
    path("actions/<int:pk>/done/", views.complete_action, name="complete-action"),
    path("types/<slug:code>/", views.panel_type_detail, name="type"),
    path("types/<slug:code>/settings/", views.panel_type_settings, name="type-settings"),
    path("types/<slug:code>/refer/", views.refer, name="refer"),
    path("types/<slug:code>/refer/details/", views.referral_create, name="referral-create"),
    path("types/<slug:code>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/build-agenda/", views.build_agenda, name="build-agenda"),
    path("meetings/<int:pk>/held/", views.mark_held, name="mark-held"),
    path("meetings/<int:pk>/cancel/", views.cancel_meeting, name="cancel-meeting"),
    path("meetings/<int:pk>/agencies/add/", views.add_agency, name="add-agency"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/outcomes/", views.meeting_outcomes, name="outcomes"),
    path("meetings/<int:pk>/agenda.docx", views.agenda_docx, name="agenda-docx"),
    path("meetings/<int:pk>/minutes.docx", views.minutes_docx, name="minutes-docx"),
    path("hearings/<int:pk>/", views.hearing_detail, name="hearing"),
    path("hearings/<int:pk>/information/", views.add_information, name="add-information"),
    path("hearings/<int:pk>/actions/new/", views.add_action, name="add-action"),
    path("hearings/<int:pk>/outcome/", views.record_outcome, name="outcome"),
    path("hearings/<int:pk>/remove/", views.remove_hearing, name="remove-hearing"),
    path("hearings/<int:pk>/move-up/", views.move_hearing_up, name="move-hearing-up"),
    path("hearings/<int:pk>/move-down/", views.move_hearing_down, name="move-hearing-down"),
    path("cases/<caseref:reference>/summary/", views.panel_summary, name="summary"),
    # Online referrals from member agencies, the review queue, corrections, people involved (SIRM).
    *referral_views.urlpatterns,
]
