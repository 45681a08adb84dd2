"""Settings for publishing (`make publish`): the site's settings (pelican.conf.py) with
the public address, absolute URLs, and the full-text search index
(plugins/bulletin/pages/fulltext.py).

Set SITEURL to the site's public address, or give it when publishing:
    make publish SITEURL=https://news.example.org
"""

import os
import runpy
from pathlib import Path

globals().update(
    {
        name: value
        for name, value in runpy.run_path(str(Path(__file__).with_name("pelican.conf.py"))).items()
        if name.isupper()
    }
)

# The public address: every link, feed URL and feed id is made from it. Feed ids
# are "SITEURL/<URL first published at>", so keep it once the site is live.
SITEURL = os.environ.get("SITEURL") or "https://bulletin.example.org"
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

SEARCH_FULL_TEXT = True  # index every post with Pagefind into pagefind/
