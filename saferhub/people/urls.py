from django.urls import path

from saferhub.people import duplicate_views, views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/aliases/new/", views.add_alias, name="add-alias"),
    path("<int:pk>/contact-details/new/", views.add_contact, name="add-contact"),
    path("<int:pk>/identifiers/new/", views.add_identifier, name="add-identifier"),
]

# Duplicates and merges (saferhub.people.duplicate_views).
urlpatterns += [
    path("duplicates/", duplicate_views.queue, name="duplicates"),
    path("duplicates/<int:pk>/", duplicate_views.merge_pair, name="duplicate"),
    path("duplicates/<int:pk>/not-duplicate/", duplicate_views.dismiss_pair, name="duplicate-dismiss"),
    path("merges/<int:pk>/", duplicate_views.merge_detail, name="merge"),
    path("merges/<int:pk>/undo/", duplicate_views.undo_merge, name="merge-undo"),
]
