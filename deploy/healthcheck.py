"""Container health check for the web service: GET /healthz through gunicorn.

The request carries a host the settings allow and the proxy's X-Forwarded-Proto header, so the
HTTPS redirect and the host check treat it like a real request from the reverse proxy.
"""

import http.client
import os
import sys


def allowed_host() -> str:
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip("*").lstrip(".")
        if host:
            return host
    return "localhost"


def main() -> int:
    connection = http.client.HTTPConnection("127.0.0.1", 8000, timeout=4)
    try:
        connection.request(
            "GET", "/healthz", headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"}
        )
        status = connection.getresponse().status
    except OSError as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"healthcheck: HTTP {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
