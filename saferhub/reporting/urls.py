from django.urls import path

from saferhub.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("run/", views.run, name="run"),
]
