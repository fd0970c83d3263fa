"""Board papers, the tracker spreadsheet and the evidence pack (issue 9). Included from
qip/urls.py."""

from django.urls import path

from .views import boardpapers as views

urlpatterns = [
    path("programmes/<int:programme_pk>/board-papers/", views.board_papers, name="board-papers"),
    path(
        "programmes/<int:programme_pk>/board-papers/new/",
        views.board_paper_new,
        name="board-paper-new",
    ),
    path(
        "programmes/<int:programme_pk>/strategic-objectives/",
        views.strategic_objectives,
        name="strategic-objectives",
    ),
    path("programmes/<int:programme_pk>/tracker.xlsx", views.tracker_export, name="tracker-export"),
    path(
        "programmes/<int:programme_pk>/evidence-pack.zip",
        views.evidence_pack_download,
        name="evidence-pack",
    ),
    path("board-papers/<int:pk>/", views.board_paper_detail, name="board-paper-detail"),
    path("board-papers/<int:pk>/cover/", views.board_paper_cover, name="board-paper-cover"),
    path(
        "board-papers/<int:pk>/sections/<slug:key>/",
        views.board_paper_section,
        name="board-paper-section",
    ),
    path("board-papers/<int:pk>/export/", views.board_paper_export, name="board-paper-export"),
    path("board-papers/<int:pk>/issue/", views.board_paper_issue, name="board-paper-issue"),
    path("board-papers/<int:pk>/delete/", views.board_paper_delete, name="board-paper-delete"),
    path("board-paper-files/<int:pk>/", views.board_paper_file, name="board-paper-file"),
    path(
        "board-paper-files/<int:pk>/download/",
        views.board_paper_file_download,
        name="board-paper-file-download",
    ),
]
