"""Any Pelican theme renders the bulletin: the plugin's own page types (entity
pages, directories, the feeds page, bundles, archives by year and month, search,
404) fall back to templates shipped with the plugin when the theme has none.

The fallbacks live in templates/bulletin/<name>.html, a folder added to Pelican's
THEME_TEMPLATES_OVERRIDES, and extend the active theme's base.html (its content
block). Under a sub-folder they override nothing: the plugin's generators ask
for the theme's own <name>.html when the theme (or an override folder of the
site) has one, else for bulletin/<name>.html. `period_archives` is also the name
of Pelican's own year and month archive template, which takes other variables:
a theme's is used only when the theme is written for Bulletin (has entity.html).
"""

from __future__ import annotations

import functools
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FALLBACKS = "bulletin/"  # the fallbacks' folder under TEMPLATES
PELICAN_NAMES = frozenset({"period_archives"})
BULLETIN_MARK = "entity"  # the template a theme written for Bulletin has
I18N = "jinja2.ext.i18n"


def support_any_theme(pelican) -> None:
    """`initialized`: put the plugin's templates folder last among the overrides; add
    Jinja's i18n extension (see install_translations); for a theme not written for
    Bulletin, put the directories, the archives and the feeds page in MENUITEMS
    (the menu most themes show), unless the site sets it."""
    settings = pelican.settings
    overrides = [str(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", ())]
    if str(TEMPLATES) not in overrides:
        settings["THEME_TEMPLATES_OVERRIDES"] = [*overrides, str(TEMPLATES)]
    jinja = settings["JINJA_ENVIRONMENT"] = dict(settings.get("JINJA_ENVIRONMENT", {}))
    if I18N not in jinja.get("extensions", ()):
        jinja["extensions"] = [*jinja.get("extensions", ()), I18N]
    if not theme_defines(settings, BULLETIN_MARK):
        siteurl = settings["SITEURL"]
        urls = [*settings["ENTITY_INDEX_URLS"].items(), ("archives", settings["ARCHIVES_URL"])]
        urls.append(("feeds", settings["FEEDS_URL"]))
        menu = tuple((name.title(), f"{siteurl}/{url}") for name, url in urls if url)
        settings.setdefault("MENUITEMS", menu)


def install_translations(generator) -> None:
    """`generator_init`: `_()` and gettext for themes that print through them (reflex
    builds links with `_('… %(category)s', category=…)`). The new-style calls of
    Jinja's i18n extension escape their arguments under autoescape, and no
    translation catalogue is needed (a plugin that installs one comes first)."""
    if "gettext" not in generator.env.globals:
        generator.env.install_null_translations(newstyle=True)


def theme_defines(settings: dict, name: str) -> bool:
    """Whether the theme or a site's override folder has the template `name`."""
    folders = [Path(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", ())]
    folders = [p for p in folders if p.resolve() != TEMPLATES]
    folders.append(Path(settings["THEME"], "templates").expanduser())
    extensions = settings["TEMPLATE_EXTENSIONS"]
    return any((folder / (name + ext)).is_file() for folder in folders for ext in extensions)


def written_for_bulletin(settings: dict) -> bool:
    """Whether the theme is written for Bulletin (has entity.html). Only such a
    theme's pages may be skipped by their page keys (pagekeys.py), which digest
    what our theme shows: another theme may show anything (the number of posts,
    the latest ones…) on every page, so its pages are all rendered every time."""
    overrides = tuple(str(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", ()))
    extensions = tuple(settings["TEMPLATE_EXTENSIONS"])
    return _written_for_bulletin(str(settings["THEME"]), overrides, extensions)


@functools.cache
def _written_for_bulletin(theme: str, overrides: tuple, extensions: tuple) -> bool:
    settings = {"THEME": theme, "THEME_TEMPLATES_OVERRIDES": overrides}
    return theme_defines(settings | {"TEMPLATE_EXTENSIONS": extensions}, BULLETIN_MARK)


def template_name(settings: dict, name: str) -> str:
    """The template to render one of the plugin's page types with."""
    own = theme_defines(settings, name)
    if name in PELICAN_NAMES:
        own = own and theme_defines(settings, BULLETIN_MARK)
    return name if own else FALLBACKS + name


class ThemeTemplates:
    """For the plugin's generators: `get_template` falls back to the plugin's."""

    def get_template(self, name):
        names = vars(self).setdefault("_bulletin_names", {})
        if name not in names:
            names[name] = template_name(self.settings, name)
        return super().get_template(names[name])
