from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import sso

from .views import health, home, pages, programme, public

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/login/", sso.SignInView.as_view(), name="login"),
    path("oidc/authenticate/", sso.SignInStart.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", sso.SignInCallback.as_view(), name="oidc_authentication_callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("health/", health.HealthView.as_view(), name="health"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("programmes/<int:pk>/", programme.programme_detail, name="programme-detail"),
    # The public progress page: no sign-in, opt-in per programme (issue 10)
    path("public/<int:programme_pk>/progress/", public.public_progress, name="public-progress"),
    # ISG and sprint pages, closure sign-off (issue 5)
    path("", include("qip.urls_isg")),
    # Roll-ups and executive dashboards (issue 6)
    path("", include("qip.urls_reporting")),
    # Plan import and export, findings (issue 8)
    path("", include("qip.urls_plan")),
    # Board papers and exports (issue 9)
    path("", include("qip.urls_boardpapers")),
    path("", include("findings.urls")),
    path("", include("rootcauses.urls")),
    path("", include("kpis.urls")),
    path("", include("governance.urls")),
    path("", include("engagement.urls")),
    # Read-only REST API for reporting tools, its schema and docs (issue 8)
    path("api/", include("qip.api.urls")),
]

if settings.DEBUG:
    # Static files from the app directories in development; whitenoise serves them otherwise.
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

admin.site.site_header = "QIP Tracker administration"
admin.site.site_title = "QIP Tracker"
