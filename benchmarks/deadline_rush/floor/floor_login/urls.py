from django.urls import path
from floor_site.views import entry

from floor_login.views import save

urlpatterns = [path("form/", entry), path("save/", save)]
