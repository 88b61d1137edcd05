from django.urls import path

from floor_site.views import entry

urlpatterns = [path("form/", entry)]
