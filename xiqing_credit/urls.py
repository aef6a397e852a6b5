from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    path("", include("employers.urls")),
    path("", include("inspections.urls")),
    path("", include("complaints.urls")),
    path("", include("ratings.urls")),
    path("", include("planning.urls")),
    path("", include("partners.urls")),
    path("", include("supervision.urls")),
]

# 403 and 404 use Django's handlers with templates/403.html and 404.html; the 500 page must not
# touch the database.
handler500 = "xiqing_credit.views.server_error"
