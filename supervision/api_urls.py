from django.urls import path

from supervision import apis, stats_apis

urlpatterns = [
    path("stats/overview/", stats_apis.StatsOverviewApi.as_view(), name="api-stats-overview"),
    path("stats/backlog/", stats_apis.StatsBacklogApi.as_view(), name="api-stats-backlog"),
    path("stats/reviewers/", stats_apis.StatsReviewersApi.as_view(), name="api-stats-reviewers"),
    path("stats/throughput/", stats_apis.StatsThroughputApi.as_view(), name="api-stats-throughput"),
    path("stats/trends/", stats_apis.StatsTrendsApi.as_view(), name="api-stats-trends"),
    path("review/tasks/", apis.TaskListApi.as_view(), name="api-tasks"),
    path("review/tasks/<int:task_id>/", apis.TaskDetailApi.as_view(), name="api-task"),
    path("review/tasks/<int:task_id>/claim/", apis.TaskClaimApi.as_view(), name="api-task-claim"),
    path("review/tasks/<int:task_id>/release/", apis.TaskReleaseApi.as_view(), name="api-task-release"),
    path("review/tasks/<int:task_id>/decide/", apis.TaskDecideApi.as_view(), name="api-task-decide"),
    path("review/tasks/<int:task_id>/reassign/", apis.TaskReassignApi.as_view(), name="api-task-reassign"),
    path("filings/<int:filing_id>/tier/", apis.FilingTierApi.as_view(), name="api-filing-tier"),
    path("filings/<int:filing_id>/notices/", apis.FilingNoticesApi.as_view(), name="api-filing-notices"),
    path("filings/<int:filing_id>/end/", apis.FilingRegulatorEndApi.as_view(), name="api-filing-end"),
]
