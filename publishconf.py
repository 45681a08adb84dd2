"""Settings for publishing (`make publish`): the site's settings (pelicanconf.py),
plus the full-text search index (plugins/bulletin/fulltext.py)."""

import runpy
from pathlib import Path

globals().update(
    {
        name: value
        for name, value in runpy.run_path(str(Path(__file__).with_name("pelicanconf.py"))).items()
        if name.isupper()
    }
)

SEARCH_FULL_TEXT = True  # index every post with Pagefind into pagefind/
