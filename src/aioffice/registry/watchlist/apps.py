from django.apps import AppConfig


class WatchlistConfig(AppConfig):
    name = "aioffice.registry.watchlist"
    label = "watchlist"
    verbose_name = "Compute watch-list"
