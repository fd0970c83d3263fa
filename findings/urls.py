from django.urls import path

from . import views

urlpatterns = [
    path("programmes/<int:programme_pk>/findings/", views.finding_list, name="finding-list"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
]
