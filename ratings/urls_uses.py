"""Uses of the level: watchlist, patrols due, training, partner API."""

urlpatterns: list = []
