from django.urls import path

from saferhub.places import views

app_name = "places"

urlpatterns = [
    path("wards/", views.ward_list, name="wards"),
    path("wards/add/", views.ward_add, name="ward-add"),
    path("wards/<int:pk>/", views.ward_detail, name="ward"),
    path("wards/<int:pk>/rename/", views.ward_rename, name="ward-rename"),
    path("wards/<int:pk>/disable/", views.ward_disable, name="ward-disable"),
    path("wards/<int:pk>/enable/", views.ward_enable, name="ward-enable"),
    path("wards/<int:pk>/lsoas/add/", views.lsoa_add, name="lsoa-add"),
    path("lsoas/<int:pk>/disable/", views.lsoa_disable, name="lsoa-disable"),
    path("lsoas/<int:pk>/enable/", views.lsoa_enable, name="lsoa-enable"),
    path("population/", views.population_list, name="population"),
    path("population/add/", views.population_add, name="population-add"),
    path("population/<int:pk>/", views.population_edit, name="population-edit"),
]
