"""WSGI entry point of the benchmark (bench/national.py): the production settings with the floor view."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
