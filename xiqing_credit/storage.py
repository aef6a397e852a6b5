"""Static files storage for production."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: tuple) -> tuple:
    """Drop the sourceMappingURL rewrite rules, keep every other one (url(), @import)."""
    kept = []
    for extension, rules in patterns:
        rules = tuple(
            rule
            for rule in rules
            if "sourceMappingURL" not in (rule[0] if isinstance(rule, tuple) else rule)
        )
        kept.append((extension, rules))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files served by whitenoise.

    The vendored Bootstrap and Chart.js builds name source maps that are not shipped; Django's
    manifest storage would refuse to collect them ("could not be found") and break the image
    build, so source-map references are left as they are instead of being hashed.
    """

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
