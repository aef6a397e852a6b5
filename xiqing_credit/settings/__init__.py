"""Settings package.

``base`` reads every deployment value from the environment; ``test`` speeds the suite up.
"""
