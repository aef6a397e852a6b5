"""What a page answers to a visitor who is not logged in."""

from django.test import Client


def assert_sent_to_login(client: Client, *urls: str) -> None:
    """Each of the pages sends the visitor to the login page."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


# Who may open a record of 李七庄 and who may change it (or start one for a 李七庄 employer):
# the logged-in client fixture, the status of reading, the status of changing.
READ_AND_CHANGE = [
    ("client_lqz", 200, 200),
    ("client_ylq", 404, 404),
    ("client_supervisor", 200, 403),
    ("client_admin", 200, 200),
    ("client_nobody", 404, 404),
]
# The same, for the pages that change it: the client fixture and the status.
CHANGE = [(client_name, change) for client_name, _read, change in READ_AND_CHANGE]
