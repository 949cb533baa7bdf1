from django.urls import path

from saferhub.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/aliases/new/", views.add_alias, name="add-alias"),
    path("<int:pk>/contact-details/new/", views.add_contact, name="add-contact"),
    path("<int:pk>/identifiers/new/", views.add_identifier, name="add-identifier"),
]
