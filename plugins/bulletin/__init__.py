"""Bulletin: a Pelican plugin that turns plain-text seeds into tagged posts,
entity pages and feeds.

Pelican imports the plugin on every run, but a run with nothing changed since the
last build builds nothing (publish/uptodate.py) and needs none of the tagger, the
posts, the pages or the feeds. So register() wires only what every run needs: the
plugin's defaults and the staged build with its up-to-date check
(publish/publish.py). The build's own handlers are imported and wired when a build
starts (wiring.py, on publish.build_starts).
"""

import atexit
import gc

from pelican import signals

from .publish.publish import build_ends, build_starts, stage_builds
from .settings import apply_defaults


def _initialized(pelican):
    apply_defaults(pelican.settings)
    stage_builds(pelican)


def _build_starts(pelican, newest_seed_change=None, seeds_listed=None):
    from .seeds import seedcache
    from .tags import standby

    seedcache.listed_by_check(seeds_listed)  # their stamps: not taken twice

    # Forked before the build's code is imported: the process loads the model
    # while this one imports it.
    standby.start_if_written(pelican.settings, newest_seed_change)
    from . import wiring  # the tagger, posts, pages and feeds: only for a build

    wiring.wire(pelican)


def _build_ends(pelican):
    from .tags import standby

    standby.stop()  # a build that failed before it tagged leaves none behind


def register():
    # At exit, the collector's last passes over a big site's objects take most of
    # a second (at 10,000 posts), to free memory the process gives back anyway.
    atexit.register(gc.freeze)
    signals.initialized.connect(_initialized)
    build_starts.connect(_build_starts)
    build_ends.connect(_build_ends)
