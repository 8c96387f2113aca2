from django.urls import path

from supervision.views import actions, dashboard, exports, jobs, notices, organizations, policy, publication, queue

app_name = "supervision"

urlpatterns = [
    path("review/", queue.queue_view, name="queue"),
    path("review/conflicts/", actions.conflicts_view, name="conflicts"),
    path("review/tasks/<int:task_id>/", queue.task_detail_view, name="task"),
    path("review/tasks/<int:task_id>/claim/", queue.task_claim_view, name="task_claim"),
    path("review/tasks/<int:task_id>/release/", queue.task_release_view, name="task_release"),
    path("review/tasks/<int:task_id>/reassign/", actions.task_reassign_view, name="task_reassign"),
    path("review/tasks/<int:task_id>/tier/", actions.tier_override_view, name="tier_override"),
    path("review/filings/<int:filing_id>/end/", actions.filing_regulator_end_view, name="filing_end"),
    path("notices/<str:reference>/", notices.notice_view, name="notice"),
    path("notices/<str:reference>/pdf/", notices.notice_pdf_view, name="notice_pdf"),
    path("supervision/", queue.supervisor_home_view, name="home"),
    path("supervision/organizations/", organizations.organization_list_view, name="organizations"),
    path("supervision/tier-policy/", policy.tier_policy_view, name="tier_policy"),
    path("supervision/dashboard/", dashboard.dashboard_view, name="dashboard"),
    path(
        "supervision/dashboard/export/<str:table>/<str:fmt>/",
        dashboard.dashboard_export_view,
        name="dashboard_export",
    ),
    path("supervision/publication/", publication.publication_view, name="publication"),
    path("supervision/publication/open/", publication.batch_open_view, name="batch_open"),
    path("supervision/publication/batches/<int:batch_id>/", publication.batch_draft_view, name="batch_draft"),
    path(
        "supervision/publication/batches/<int:batch_id>/<str:action>/",
        publication.batch_action_view,
        name="batch_action",
    ),
    path("supervision/publication/notice/", publication.notice_open_view, name="notice_open"),
    path("supervision/publication/notices/<int:notice_id>/", publication.notice_draft_view, name="notice_draft"),
    path(
        "supervision/publication/notices/<int:notice_id>/<str:action>/",
        publication.notice_action_view,
        name="notice_action",
    ),
    path("exports/<str:name>/<str:fmt>/", exports.export_view, name="export"),
    path("exports/jobs/<int:job_id>/download/", exports.export_download_view, name="export_download"),
    path("supervision/jobs/", jobs.job_list_view, name="jobs"),
    path("supervision/jobs/start/", jobs.job_start_view, name="job_start"),
    path("supervision/jobs/<int:job_id>/", jobs.job_detail_view, name="job"),
]
