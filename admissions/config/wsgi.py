import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "admissions.config.settings")
application = get_wsgi_application()

# The URLconf, and with it every view module, is imported here, while the worker starts, rather
# than by Django in the worker's first request: that made the first page each new worker
# served (gunicorn --max-requests recycles them) take 1 to 2 s more; it was the 2.2 s request
# of the back-office benchmark (issue 11).
import_module(settings.ROOT_URLCONF)

# Everything imported so far (Django, the apps, the URLconf, the campaign's code) lives as long
# as the worker: moved out of the collector's reach, a full collection no longer walks those
# hundreds of thousands of objects — it cost one request in ~25 about 80 ms (benchmark).
gc.freeze()
