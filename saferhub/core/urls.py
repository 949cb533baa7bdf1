from django.urls import path

from saferhub.core import health, session, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("session/keep-alive", session.keep_alive, name="keep-alive"),
    path("inbox/", views.inbox, name="inbox"),
    path("my-actions/", views.my_actions, name="my-actions"),
]
