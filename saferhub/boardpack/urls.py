from django.urls import path

from saferhub.boardpack import views

app_name = "boardpack"

urlpatterns = [
    path("", views.pack_list, name="packs"),
    path("new/", views.pack_start, name="pack-start"),
    path("<int:pk>/", views.pack_detail, name="pack"),
    path("<int:pk>/cover/", views.pack_cover, name="pack-cover"),
    path("<int:pk>/sections/", views.pack_sections, name="pack-sections"),
    path("<int:pk>/preview/<int:number>/", views.section_preview, name="section-preview"),
    path("<int:pk>/issue/", views.pack_issue, name="pack-issue"),
    path("<int:pk>/new-version/", views.pack_new_version, name="pack-new-version"),
    path("<int:pk>/considered/", views.pack_considered, name="pack-considered"),
    path("<int:pk>/download/full/", views.pack_download, {"variant": "full"}, name="download-full"),
    path(
        "<int:pk>/download/publishable/", views.pack_download, {"variant": "publishable"}, name="download-publishable"
    ),
    path("<int:pk>/download/json/", views.pack_download, {"variant": "json"}, name="download-json"),
]
