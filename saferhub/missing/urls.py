from django.urls import path

from saferhub.missing.views import episodes, intelligence, settings

app_name = "missing"

urlpatterns = [
    path("", episodes.index, name="index"),
    path("new/", episodes.episode_new, name="episode-new"),
    path("interviews/", episodes.interviews, name="interviews"),
    path("children/<int:pk>/", episodes.child, name="child"),
    path("children/<int:pk>/ceam/link/", episodes.child_ceam_link, name="child-ceam-link"),
    path("children/<int:pk>/episodes/new/", episodes.child_episode_new, name="child-episode-new"),
    path("episodes/<int:pk>/", episodes.episode, name="episode"),
    path("episodes/<int:pk>/edit/", episodes.episode_edit, name="episode-edit"),
    path("episodes/<int:pk>/return/", episodes.episode_return, name="episode-return"),
    path("episodes/<int:pk>/interview/provider/", episodes.interview_assign, name="interview-assign"),
    path("episodes/<int:pk>/interview/", episodes.interview, name="interview"),
    path("episodes/<int:pk>/meetings/new/", episodes.meeting_new, name="meeting-new"),
    path("intelligence/", intelligence.overview, name="intelligence"),
    path("intelligence/places/new/", intelligence.place_new, name="place-new"),
    path("intelligence/places/<int:pk>/", intelligence.place, name="place"),
    path("intelligence/places/<int:pk>/edit/", intelligence.place_edit, name="place-edit"),
    path("intelligence/groups/new/", intelligence.group_new, name="group-new"),
    path("intelligence/groups/<int:pk>/", intelligence.group, name="group"),
    path("intelligence/groups/<int:pk>/edit/", intelligence.group_edit, name="group-edit"),
    path("intelligence/links/new/", intelligence.link_new, name="link-new"),
    path("intelligence/links/<int:pk>/remove/", intelligence.link_remove, name="link-remove"),
    path("intelligence/outreach/new/", intelligence.outreach_new, name="outreach-new"),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/new/", settings.setting_add, name="setting-add"),
]
