from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("review/", views.queue_view, name="queue"),
    path("review/tasks/<int:task_id>/", views.task_detail_view, name="task"),
    path("review/tasks/<int:task_id>/claim/", views.task_claim_view, name="task_claim"),
    path("review/tasks/<int:task_id>/release/", views.task_release_view, name="task_release"),
    path("supervision/", views.supervisor_home_view, name="home"),
]
