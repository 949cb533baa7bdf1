from django.urls import path

from saferhub.crime import views

app_name = "crime"

urlpatterns = [
    path("", views.index, name="index"),
    path("download/<str:fmt>/", views.download, name="download"),
    path("commentary/", views.commentary, name="commentary"),
]
