from django.urls import include, path

urlpatterns = [
    path("", include("saferhub.core.urls")),
    path("", include("saferhub.accounts.urls")),
    path("cases/", include("saferhub.cases.urls")),
    path("people/", include("saferhub.people.urls")),
    path("audit/", include("saferhub.audit.urls")),
    path("reports/", include("saferhub.reporting.urls")),
    path("imports/", include("saferhub.imports.urls")),
    path("assessments/", include("saferhub.assessments.urls")),
    path("directory/", include("saferhub.directory.urls")),
    path("victims/", include("saferhub.victims.urls")),
    path("iom/", include("saferhub.iom.urls")),
    path("panels/", include("saferhub.panels.urls")),
    path("asb/", include("saferhub.asb.urls")),
    path("admin/set-up/", include("saferhub.setup.urls")),
    path("crime/", include("saferhub.crime.urls")),
    path("retention/", include("saferhub.retention.urls")),
    path("places/", include("saferhub.places.urls")),
    path("governance/", include("saferhub.governance.urls")),
    path("board-packs/", include("saferhub.boardpack.urls")),
    path("boards/", include("saferhub.boards.urls")),
    path("missing/", include("saferhub.missing.urls")),
    path("search/", include("saferhub.search.urls")),
    path("notifications/", include("saferhub.notifications.urls")),
    path("letters/", include("saferhub.letters.urls")),
    path("rj/", include("saferhub.rj.urls")),
    path("api/", include("saferhub.api.urls")),
    path("", include("saferhub.api.page_urls")),
    path("", include("saferhub.search.casefile_views")),
]

handler404 = "saferhub.core.errors.page_not_found"
