from django.urls import path

from saferhub.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.events, name="events"),
    path("export/", views.export, name="export"),
    path("break-glass/", views.break_glass_list, name="break-glass"),
    path("break-glass/<int:pk>/review/", views.break_glass_review, name="break-glass-review"),
]
