from django.urls import path

from saferhub.iom import views

app_name = "iom"

urlpatterns = [
    path("", views.index, name="index"),
    path("adopt/", views.adopt, name="adopt"),
    path("stays/<int:pk>/", views.stay, name="stay"),
    path("stays/<int:pk>/details/", views.edit_details, name="edit-details"),
    path("stays/<int:pk>/rag/", views.rag_add, name="rag-add"),
    path("stays/<int:pk>/offences/", views.offence_add, name="offence-add"),
    path("stays/<int:pk>/plan/", views.plan_add, name="plan-add"),
    path("stays/<int:pk>/plan/<int:item_pk>/", views.plan_update, name="plan-update"),
    path("stays/<int:pk>/contacts/", views.contact_add, name="contact-add"),
    path("stays/<int:pk>/deselect/", views.deselect, name="deselect"),
    path("stays/<int:pk>/review/", views.review_add, name="review-add"),
    path("cost-of-crime/", views.costs, name="costs"),
    path("cost-of-crime/new/", views.cost_add, name="cost-add"),
    path("cost-of-crime/<int:pk>/", views.cost_edit, name="cost-edit"),
    path("reoffending/", views.reoffending, name="reoffending"),
    path("youth-justice-kpis/", views.kpis, name="kpis"),
    path("youth-justice-kpis/new/", views.kpi_add, name="kpi-add"),
    path("youth-justice-kpis/<int:pk>/", views.kpi_edit, name="kpi-edit"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/contact-frequency/", views.setting_add, name="setting-add"),
]
