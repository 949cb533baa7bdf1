from django.urls import path

from saferhub.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("run/", views.run, name="run"),
    path("builds/<int:pk>/", views.build_detail, name="build"),
    path("builds/<int:pk>/download/", views.build_download, name="build-download"),
]
