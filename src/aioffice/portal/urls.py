"""The public portal's pages, one module per part; all under the `portal` namespace."""

from aioffice.portal import urls_calls, urls_checker, urls_content, urls_help, urls_updates

app_name = "portal"
urlpatterns = [
    *urls_content.urlpatterns,
    *urls_help.urlpatterns,
    *urls_checker.urlpatterns,
    *urls_updates.urlpatterns,
    *urls_calls.urlpatterns,
]
