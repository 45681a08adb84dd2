"""ASCII slugs, the same way Pelican makes them."""

import functools
import hashlib

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

_SUBSTITUTIONS = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]


@functools.lru_cache(maxsize=1 << 16)  # the same names recur in every text
def make_slug(text: str) -> str:
    """ASCII, lower-case, hyphenated: "Numan Kurtulmuş" → "numan-kurtulmus". Letters
    with no ASCII spelling ("Ⲁⲁ Ⲃⲃ", Coptic) give "x" and a digest, so that no two such
    names share a slug; text without a letter or digit gives ""."""
    slug = slugify(text.replace("’", "'"), regex_subs=_SUBSTITUTIONS)
    if slug or not any(c.isalnum() for c in text):
        return slug
    return "x" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
