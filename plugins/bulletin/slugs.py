"""ASCII slugs, the same way Pelican makes them."""

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

_SUBSTITUTIONS = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]


def make_slug(text: str) -> str:
    """ASCII, lower-case, hyphenated: "Numan Kurtulmuş" → "numan-kurtulmus"."""
    return slugify(text.replace("’", "'"), regex_subs=_SUBSTITUTIONS)
