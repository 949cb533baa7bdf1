from django.urls import path

from saferhub.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("periods/", views.rule_list, name="rules"),
    path("periods/<int:case_type_pk>/", views.rule_edit, name="rule-edit"),
    path("cases/<str:reference>/erase/", views.erase, name="erase"),
    path("erased/", views.erased, name="erased"),
    path("subject-access/", views.subject_access_search, name="subject-access"),
    path("subject-access/<int:pk>/", views.subject_access_person, name="subject-access-person"),
    path("subject-access/<int:pk>/export/", views.subject_access_export, name="subject-access-export"),
]
