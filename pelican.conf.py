"""Settings of the Bulletin site: the one source of truth (pelicanconf.py loads it).

Override any of them at build time, e.g.
    pelican -e SITEURL='"https://news.example.org"' SEEDS_PATH='"/path/to/seeds"'
"""

from pathlib import Path

_HERE = Path(__file__).resolve().parent

SITENAME = "Bulletin"
SITEURL = "http://localhost:8000"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["bulletin"]

# Seeds: plain-text articles, read by the bulletin plugin (relative to this file).
SEEDS_PATH = str(_HERE / "seeds")
# Where every post and entity page was published, kept by the build so that URLs and
# feed ids never move: commit it with the seeds (README, "Editor's guide").
URL_MEMORY = str(_HERE / "content" / "urls.tsv")

# content/ holds pages only (About, …); posts come from the seeds.
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
STATIC_PATHS = []

ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
ARCHIVES_URL = "archives/"

# Entity pages replace Pelican's tags, categories and authors. Every post is in
# DEFAULT_CATEGORY, whose link (in themes that show it) is the home page; its tags
# link to entity pages (plugins/bulletin/posts/articlefields.py).
DEFAULT_CATEGORY = "News"
DIRECT_TEMPLATES = ["index", "archives"]
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"index": None, "entity": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds are written by the plugin with feedgen; Pelican's own are off.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 50  # items per feed; entity pages always list every post
# Combined feeds, each with its own page: bundle/<key>/ and its rss.xml, atom.xml, feed.json.
FEED_BUNDLES = {
    "central-asia": {"title": "Central Asia", "countries": ["KZ", "KG", "TJ", "TM", "UZ"]},
}

# Seed text is untrusted: escape everything the templates print.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}

RELATIVE_URLS = False
# Builds go to a staging folder and only new and changed files are moved into
# output/ (plugins/bulletin/publish/publish.py): pages of removed or rejected seeds go,
# unchanged files are left as they are, OUTPUT_RETENTION entries are kept.
DELETE_OUTPUT_DIRECTORY = True
