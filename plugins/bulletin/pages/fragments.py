"""Jinja filters that render a macro once and reuse its output on every page showing
it, for macros whose output depends on nothing but their argument, the site's
context and SITEURL (which varies with RELATIVE_URLS, so it is part of the key)."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from jinja2 import pass_context
from markupsafe import Markup

# Per Jinja environment: each generator of each build has its own.
_SITE_WIDE: WeakKeyDictionary = WeakKeyDictionary()


@pass_context
def once(context, macro, subject) -> Markup:
    """`{{ summary|once(article) }}`: the macro's output for subject, kept on subject
    (so it lasts as long as the post or page of this build)."""
    made = vars(subject).setdefault("_rendered", {})
    key = (macro.name, context.get("SITEURL"))
    if key not in made:
        made[key] = macro(subject)
    return made[key]


@pass_context
def site_wide(context, macro) -> Markup:
    """`{{ footer|site_wide }}`: the output of a macro that takes no argument and is the
    same on every page (nothing in it depends on the page being rendered)."""
    made = _SITE_WIDE.setdefault(context.environment, {})
    key = (macro.name, context.get("SITEURL"))
    if key not in made:
        made[key] = macro()
    return made[key]
