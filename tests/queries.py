"""How many database queries a page costs."""

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def assert_list_queries_fixed(client: Client, url: str, add_rows: Callable[[], None], rows: int):
    """The list page costs as many queries after ``add_rows`` as before, and then lists
    ``rows`` rows on its first page."""
    client.get(url)  # warm the session and role caches alike for both runs
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_rows()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["table"].page.object_list) == rows
    assert len(many) == len(few)
