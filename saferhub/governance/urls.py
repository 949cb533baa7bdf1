from django.urls import path

from saferhub.governance import archive_views, issue_views, provider_views, strategy_views, views

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

urlpatterns += [
    path("strategies/", strategy_views.strategy_list, name="strategies"),
    path("strategies/add/", strategy_views.strategy_add, name="strategy-add"),
    path("strategies/<int:pk>/", strategy_views.strategy_detail, name="strategy"),
    path("strategies/<int:pk>/edit/", strategy_views.strategy_edit, name="strategy-edit"),
    path("strategies/<int:pk>/priorities/add/", strategy_views.priority_add, name="priority-add"),
    path("priorities/<int:pk>/edit/", strategy_views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/indicators/add/", strategy_views.indicator_add, name="indicator-add"),
    path("indicators/<int:pk>/", strategy_views.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/edit/", strategy_views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/targets/", strategy_views.indicator_target, name="indicator-target"),
    path("indicators/<int:pk>/figures/", strategy_views.indicator_value, name="indicator-value"),
    path("indicators/<int:pk>/recompute/", strategy_views.indicator_recompute, name="indicator-recompute"),
    path("services/", provider_views.service_list, name="services"),
    path("services/add/", provider_views.service_add, name="service-add"),
    path("services/<int:pk>/", provider_views.service_detail, name="service"),
    path("services/<int:pk>/kpis/add/", provider_views.kpi_add, name="kpi-add"),
    path("services/<int:pk>/returns/add/", provider_views.return_request, name="return-request"),
    path("services/<int:pk>/edit/", provider_views.service_edit, name="service-edit"),
    path("kpis/<int:pk>/edit/", provider_views.kpi_edit, name="kpi-edit"),
    path("returns/<int:pk>/", provider_views.return_detail, name="return"),
    path("returns/<int:pk>/edit/", provider_views.return_edit, name="return-edit"),
    path("returns/<int:pk>/accept/", provider_views.return_accept, name="return-accept"),
    path("returns/<int:pk>/send-back/", provider_views.return_send_back, name="return-send-back"),
]

# An activity's page, the issues raised on it and the actions they become.
urlpatterns += [
    path("activities/<int:pk>/", issue_views.activity_detail, name="activity"),
    path("activities/<int:pk>/issues/add/", issue_views.issue_add, name="issue-add"),
    path("issues/<int:pk>/edit/", issue_views.issue_edit, name="issue-edit"),
    path("issues/<int:pk>/action/", issue_views.issue_action, name="issue-action"),
]

# Archive and restore: a confirm page on GET, the change on POST.
urlpatterns += [
    path("strategies/<int:pk>/archive/", archive_views.strategy_archive, name="strategy-archive"),
    path("strategies/<int:pk>/restore/", archive_views.strategy_restore, name="strategy-restore"),
    path("priorities/<int:pk>/archive/", archive_views.priority_archive, name="priority-archive"),
    path("priorities/<int:pk>/restore/", archive_views.priority_restore, name="priority-restore"),
    path("services/<int:pk>/archive/", archive_views.service_archive, name="service-archive"),
    path("services/<int:pk>/restore/", archive_views.service_restore, name="service-restore"),
    path("kpis/<int:pk>/archive/", archive_views.kpi_archive, name="kpi-archive"),
    path("kpis/<int:pk>/restore/", archive_views.kpi_restore, name="kpi-restore"),
]
