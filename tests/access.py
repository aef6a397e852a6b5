"""What a page answers to a visitor who is not logged in."""

from django.test import Client


def assert_sent_to_login(client: Client, *urls: str) -> None:
    """Each of the pages sends the visitor to the login page."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
