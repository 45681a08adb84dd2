"""ASCII slugs, the same way Pelican makes them."""

import functools
import hashlib
import re

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

_SUBSTITUTIONS = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
# ASCII letters and digits in words joined by one space or hyphen ("Asian Development
# Bank", "Kassym-Jomart Tokayev"), as most names are: Pelican's slug of such a text
# is it in lower case with hyphens for spaces, without its markup, Unicode and
# substitution passes (the tagger makes a slug of each name it meets first).
_PLAIN = re.compile(r"[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*")


@functools.lru_cache(maxsize=1 << 16)  # the same names recur in every text
def make_slug(text: str) -> str:
    """ASCII, lower-case, hyphenated: "Numan Kurtulmuş" → "numan-kurtulmus". Letters
    with no ASCII spelling ("Ⲁⲁ Ⲃⲃ", Coptic) give "x" and a digest, so that no two such
    names share a slug; text without a letter or digit gives ""."""
    if _PLAIN.fullmatch(text):
        return text.lower().replace(" ", "-")
    slug = slugify(text.replace("’", "'"), regex_subs=_SUBSTITUTIONS)
    if slug or not any(c.isalnum() for c in text):
        return slug
    return "x" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
