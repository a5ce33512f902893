import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corett.settings")
application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)  # every view's module loaded now, not at the first request

# What is loaded by now lives as long as the process: set it aside from the cyclic garbage
# collector, whose every full collection walked it again (about 0.1 s, 200,000 objects: a
# request that triggered one waited that long; about 3 ms once set aside).
gc.collect()
gc.freeze()
