"""User administration in the browser: accounts, their role and area units, lockouts.

Here, on the employers floor, because a user's scope is the area units this app owns
(``Unit.inspectors``); roles come from core. ``manage.py add_user`` uses the same service."""
