from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """Everyone starts from the employer registry, the one page every role has."""
    return redirect("employers:list")
