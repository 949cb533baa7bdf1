from django.urls import path

from saferhub.letters import views

app_name = "letters"

urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:kind>/", views.template_edit, name="template-edit"),
    path("public-details/", views.public_details, name="public-details"),
    path("cases/<caseref:reference>/", views.case_letters, name="case"),
    path("cases/<caseref:reference>/new/", views.case_letter_new, name="case-new"),
    path("case-reviews/<str:reference>/outcome/", views.review_letter_new, name="review-new"),
    path("<int:pk>/download/", views.letter_download, name="download"),
    path("public/<slug:slug>/logo/", views.public_logo, name="public-logo"),
]
