from django.urls import path

from saferhub.setup import views

app_name = "setup"

urlpatterns = [
    path("", views.index, name="index"),
    path("set-up-file.toml", views.export_file, name="export"),
    path("duties/<str:code>/", views.duty, name="duty"),
    path("areas/", views.areas, name="areas"),
    path("case-types/", views.case_type_list, name="case-types"),
    path("case-types/new/", views.case_type_create, name="case-type-create"),
    path("case-types/<int:pk>/", views.case_type_edit, name="case-type-edit"),
    path("case-types/<int:pk>/disable/", views.case_type_disable, name="case-type-disable"),
    path("case-types/<int:pk>/enable/", views.case_type_enable, name="case-type-enable"),
    path("panel-types/", views.panel_type_list, name="panel-types"),
    path("panel-types/new/", views.panel_type_create, name="panel-type-create"),
    path("panel-types/<slug:code>/", views.panel_type_edit, name="panel-type-edit"),
]
