"""Engine pages: early warning, yearly evaluation."""

urlpatterns: list = []
