from django.urls import path  # noqa: F401  (the projects issue fills this in)

urlpatterns: list = []
