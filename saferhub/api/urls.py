"""The open API under /api/v1/, its schema at /api/schema/ and documentation at /api/docs/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from oauth2_provider.views import TokenView

from saferhub.accounts.middleware import public
from saferhub.api.views import cases, imports, modules, referrals, returns, webhooks

app_name = "api"


v1 = [
    path("people/", cases.PersonList.as_view(), name="people"),
    path("people/<int:pk>/", cases.PersonDetail.as_view(), name="person"),
    path("cases/", cases.CaseList.as_view(), name="cases"),
    path("cases/<caseref:reference>/", cases.CaseDetail.as_view(), name="case"),
    path("cases/<caseref:reference>/participants/", cases.ParticipantList.as_view(), name="case-participants"),
    path("cases/<caseref:reference>/notes/", cases.NoteList.as_view(), name="case-notes"),
    path("cases/<caseref:reference>/actions/", cases.ActionList.as_view(), name="case-actions"),
    path("referrals/", referrals.ReferralList.as_view(), name="referrals"),
    path("referrals/<int:pk>/", referrals.ReferralDetail.as_view(), name="referral"),
    path("hub-referrals/", referrals.HubReferralList.as_view(), name="hub-referrals"),
    path("hub-referrals/<int:pk>/", referrals.HubReferralDetail.as_view(), name="hub-referral"),
    path("panel-referrals/", modules.PanelReferralList.as_view(), name="panel-referrals"),
    path("panel-referrals/<int:pk>/", modules.PanelReferralDetail.as_view(), name="panel-referral"),
    path("asb/cases/", modules.AsbCaseList.as_view(), name="asb-cases"),
    path("asb/cases/<caseref:reference>/", modules.AsbCaseDetail.as_view(), name="asb-case"),
    path("asb/cases/<caseref:reference>/reports/", modules.AsbReportList.as_view(), name="asb-reports"),
    path("asb/tools/", modules.InterventionList.as_view(), name="asb-tools"),
    path("asb/tools/<int:pk>/", modules.InterventionDetail.as_view(), name="asb-tool"),
    path("meetings/", modules.MeetingList.as_view(), name="meetings"),
    path("meetings/<int:pk>/", modules.MeetingDetail.as_view(), name="meeting"),
    path("returns/", returns.ReturnKindList.as_view(), name="returns"),
    path("returns/<slug:slug>/", returns.ReturnDetail.as_view(), name="return"),
    path("crime-dashboard/", returns.CrimeDashboard.as_view(), name="crime-dashboard"),
    path("imports/", imports.ImportRunList.as_view(), name="imports"),
    path("imports/kinds/", imports.ImportKindList.as_view(), name="import-kinds"),
    path("imports/<int:pk>/", imports.ImportRunDetail.as_view(), name="import"),
    path("webhooks/", webhooks.WebhookList.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", webhooks.WebhookDetail.as_view(), name="webhook"),
]

urlpatterns = [
    path("schema/", public(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", public(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", public(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    # OAuth2 client credentials for system accounts: POST grant_type=client_credentials, client id and secret.
    path("oauth/token/", public(TokenView.as_view()), name="oauth-token"),
    path("v1/", include(v1)),
]
