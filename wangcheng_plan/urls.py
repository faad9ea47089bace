from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health

# The 400 page says which parameter was wrong; 403, 404 and 500 are Django's views with
# our templates (templates/).
handler400 = "indicators.params.bad_request"

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("workspace.urls")),
    path("", include("projects.urls")),
    path("", include("dashboards.urls")),
    path("", include("indicators.urls")),
    path("", include("parks.urls")),
]
