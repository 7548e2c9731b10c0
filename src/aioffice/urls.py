from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from aioffice.api import api, unmatched
from aioffice.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", unmatched),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", include("aioffice.portal.urls")),
    path("", include("aioffice.registry.urls")),
    path("", include("aioffice.registry.documentation.urls")),
    path("", include("aioffice.registry.codeofpractice.urls")),
    path("", include("aioffice.registry.watchlist.urls")),
    path("", include("aioffice.registry.monitoring.urls")),
    path("", include("aioffice.evaluations.urls")),
    path("", include("aioffice.supervision.urls")),
    path("", include("aioffice.cooperation.urls")),
    path("", include("aioffice.drafting.urls")),
    path("accounts/", include("aioffice.accounts.urls")),
    path("office/", include("aioffice.core.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
