from django.urls import path

from supervision import apis

urlpatterns = [
    path("review/tasks/", apis.TaskListApi.as_view(), name="api-tasks"),
    path("review/tasks/<int:task_id>/", apis.TaskDetailApi.as_view(), name="api-task"),
    path("review/tasks/<int:task_id>/claim/", apis.TaskClaimApi.as_view(), name="api-task-claim"),
    path("review/tasks/<int:task_id>/release/", apis.TaskReleaseApi.as_view(), name="api-task-release"),
    path("review/tasks/<int:task_id>/decide/", apis.TaskDecideApi.as_view(), name="api-task-decide"),
]
