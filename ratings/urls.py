"""Rating URLs, in two groups: the engine's pages and the uses of the level."""

from .urls_engine import urlpatterns as engine_urlpatterns
from .urls_uses import urlpatterns as uses_urlpatterns

app_name = "ratings"

urlpatterns = engine_urlpatterns + uses_urlpatterns
