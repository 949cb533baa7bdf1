from django.urls import path

from saferhub.boards import views

app_name = "boards"

urlpatterns = [
    path("", views.board_list, name="list"),
    path("add/", views.board_add, name="board-add"),
    path("<int:pk>/", views.board_detail, name="board"),
    path("<int:pk>/edit/", views.board_edit, name="board-edit"),
    path("<int:pk>/members/add/", views.member_add, name="member-add"),
    path("<int:pk>/meetings/add/", views.meeting_add, name="meeting-add"),
    path("<int:pk>/forward/add/", views.forward_add, name="forward-add"),
    path("members/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("forward/<int:pk>/edit/", views.forward_edit, name="forward-edit"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/items/add/", views.item_add, name="item-add"),
    path("meetings/<int:pk>/actions/add/", views.action_add, name="action-add"),
    path("meetings/<int:pk>/agenda/<str:variant>.docx", views.agenda_document, name="agenda-document"),
    path("meetings/<int:pk>/minutes/<str:variant>.docx", views.minutes_document, name="minutes-document"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/minutes/", views.item_minutes, name="item-minutes"),
    path("items/<int:pk>/papers/add/", views.paper_add, name="paper-add"),
    path("papers/<int:pk>/", views.paper_download, name="paper"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action-complete"),
]
