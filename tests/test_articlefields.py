"""What articlefields.Post works out its own way gives what Pelican gives."""

import copy
from datetime import UTC, datetime

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from bulletin.posts.articlefields import Post, unstrippable


@pytest.mark.parametrize(
    ("content", "source"),
    [
        ("/site/content", "/site/seeds/2024-05-20.txt"),
        ("/site/content", "/site/content/pages/about.md"),
        ("/site/content/", "/site/content/../seeds/sub/a.txt"),
        ("content", "seeds/sub/a.txt"),
        ("../content", "/elsewhere/seeds/a.txt"),
        (".", "a.txt"),
        ("/", "/seeds/a.txt"),
        ("/site/content", "/site/seeds/.."),
    ],
)
def test_the_relative_source_path_is_pelicans(content, source, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    post = Post.__new__(Post)  # only what the method reads
    post.settings, post.source_path = {"PATH": content}, source
    assert post.get_relative_source_path() == Article.get_relative_source_path(post)
    other = "/site/seeds/b.txt"
    assert post.get_relative_source_path(other) == Article.get_relative_source_path(post, other)


def test_the_summary_has_look_alikes_for_what_themes_might_unescape():
    assert unstrippable('<b> "x" ‹') == "‹b› ”x” ‹"


def test_the_url_is_pelicans():
    settings = copy.deepcopy(DEFAULT_CONFIG) | {"ARTICLE_URL": "{slug}/"}
    when = datetime(2024, 5, 20, tzinfo=UTC)
    post = Post("<p>x</p>", {"title": "A", "date": when, "slug": "a-slug"}, settings=settings)
    assert Article.url.fget(post) == "a-slug/" == post.url
    post.override_url = "2024/05/20/moved/"
    assert Article.url.fget(post) == "2024/05/20/moved/" == post.url


def test_a_posts_html_is_made_from_its_seed_when_read_not_held(tmp_path):
    """Every post of a build would hold its text twice (the seed's paragraphs and
    Pelican's HTML); the HTML is made when a page or feed reads it."""
    from bulletin.posts.postview import PostView
    from bulletin.seeds.seeds import read_seed

    path = tmp_path / "a.txt"
    path.write_text("date 2024-05-20 The <b>lead</b> & more.\n\nA second paragraph.\n")
    seed = read_seed(path)
    settings = copy.deepcopy(DEFAULT_CONFIG)
    metadata = {"title": seed.title, "date": seed.date, "slug": seed.slug}
    post = Post("", metadata, settings=settings, source_path=str(path))
    post.view = PostView(seed=seed, tags=None, lead=seed.summary)
    html = "<p>The &lt;b&gt;lead&lt;/b&gt; &amp; more.</p>\n<p>A second paragraph.</p>"
    assert post.content == html
    assert not any(isinstance(value, str) and "paragraph" in value for value in vars(post).values())
    given = Post("<p>given</p>", metadata, settings=settings)  # no seed: Pelican's way
    assert given.content == "<p>given</p>"
