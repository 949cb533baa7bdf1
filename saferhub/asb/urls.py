from django.urls import path

from saferhub.asb import review_views, views

app_name = "asb"

urlpatterns = [
    path("", views.index, name="index"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<caseref:reference>/", views.case_detail, name="case"),
    path("cases/<caseref:reference>/details/", views.details_edit, name="case-details"),
    path("cases/<caseref:reference>/victims/<int:pk>/contact/", views.victim_contact, name="victim-contact"),
    path("cases/<caseref:reference>/reports/new/", views.report_add, name="report-add"),
    path("cases/<caseref:reference>/reports/<int:pk>/explained/", views.report_explained, name="report-explained"),
    path("cases/<caseref:reference>/tools/new/", views.intervention_add, name="intervention-add"),
    path("cases/<caseref:reference>/tools/<int:pk>/status/", views.intervention_status, name="intervention-status"),
    path("cases/<caseref:reference>/tools/<int:pk>/payment/", views.fpn_payment, name="fpn-payment"),
    path("cases/<caseref:reference>/tools/<int:pk>/escalate/", views.fpn_escalate, name="fpn-escalate"),
    path("tools-and-powers/", views.register, name="register"),
    path("fixed-penalties/", views.fpn_register, name="fpns"),
    path("pspos/", views.pspo_list, name="pspos"),
    path("pspos/new/", views.pspo_create, name="pspo-create"),
    path("pspos/<int:pk>/", views.pspo_detail, name="pspo"),
    path("pspos/<int:pk>/extend/", views.pspo_renew, name="pspo-renew"),
    path("pspos/<int:pk>/breaches/new/", views.pspo_breach, name="pspo-breach"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/new/", views.setting_add, name="setting-add"),
    path("settings/team/", views.desk_edit, name="desk"),
    path("case-reviews/", review_views.review_list, name="reviews"),
    path("case-reviews/new/", review_views.review_new, name="review-new"),
    path("case-reviews/<str:reference>/", review_views.review_detail, name="review"),
    path("case-reviews/<str:reference>/acknowledge/", review_views.review_acknowledge, name="review-acknowledge"),
    path("case-reviews/<str:reference>/link/", review_views.review_link, name="review-link"),
    path("case-reviews/<str:reference>/threshold/", review_views.review_decide, name="review-decide"),
    path("case-reviews/<str:reference>/meeting/", review_views.review_meeting, name="review-meeting"),
    path(
        "case-reviews/<str:reference>/recommendations/new/",
        review_views.review_recommendation_add,
        name="review-recommendation-add",
    ),
    path("case-reviews/<str:reference>/action-plan/new/", review_views.review_plan_add, name="review-plan-add"),
    path(
        "case-reviews/<str:reference>/items/<int:pk>/status/",
        review_views.review_item_status,
        name="review-item-status",
    ),
    path("case-reviews/<str:reference>/consultation/", review_views.review_consultation, name="review-consultation"),
    path("case-reviews/<str:reference>/outcome/", review_views.review_outcome, name="review-outcome"),
    path("case-reviews/<str:reference>/letter.docx", review_views.review_letter, name="review-letter"),
    path("case-reviews/<str:reference>/appeal/", review_views.review_appeal, name="review-appeal"),
    path(
        "case-reviews/<str:reference>/appeal/decision/", review_views.review_appeal_decide, name="review-appeal-decide"
    ),
    path("case-reviews/<str:reference>/close/", review_views.review_close, name="review-close"),
    path("apply/<slug:slug>/", review_views.apply, name="public-apply"),
    path("apply/<slug:slug>/sent/", review_views.apply_done, name="public-apply-done"),
    path("status/<slug:slug>/", review_views.status, name="public-status"),
]
