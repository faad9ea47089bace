from .upload_views import ACTUALS_EXCEL

urlpatterns = ACTUALS_EXCEL.urls("report/<slug:slug>/<int:year>/")
