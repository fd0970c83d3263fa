"""The owner's pages (issue 4). Included from qip/urls.py."""

from django.urls import path

from .views import closure, detail, evidence, my_root_causes, update

urlpatterns = [
    path("my/root-causes/", my_root_causes.my_root_causes, name="my-root-causes"),
    path("rootcauses/<int:pk>/", detail.rootcause_detail, name="rootcause-detail"),
    path("rootcauses/<int:pk>/history/", detail.rootcause_history, name="rootcause-history"),
    path("rootcauses/<int:pk>/update/", update.rootcause_update, name="rootcause-update"),
    path(
        "rootcauses/<int:pk>/closure/",
        closure.rootcause_closure_request,
        name="rootcause-closure-request",
    ),
    path(
        "rootcauses/<int:pk>/evidence/add/",
        evidence.rootcause_evidence_add,
        name="rootcause-evidence-add",
    ),
    path("evidence/<int:pk>/", evidence.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/review/", evidence.evidence_review, name="evidence-review"),
]
