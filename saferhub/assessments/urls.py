from django.urls import path

from saferhub.assessments import views

app_name = "assessments"

urlpatterns = [
    path("case/<str:reference>/", views.case_list, name="case-list"),
    path("case/<str:reference>/new/<slug:template_code>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
]
