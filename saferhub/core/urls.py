from django.urls import path

from saferhub.core import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("inbox/", views.inbox, name="inbox"),
    path("my-actions/", views.my_actions, name="my-actions"),
]
