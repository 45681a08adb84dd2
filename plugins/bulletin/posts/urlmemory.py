"""The URL memory (setting URL_MEMORY, content/urls.tsv): where every post and entity
page was published, so that later builds keep it there.

A post is known by its seed file's path under SEEDS_PATH. Once published, it keeps
its URL whatever happens to its text, date, title or the rules that make titles;
a new file holding the text of a file that disappeared is that post, renamed. Only
a `slug:` header moves a post; its earlier URLs then redirect to the new one. The
feed id of a post is the first URL it was published at, forever.

An entity page that a build no longer makes redirects, with its feeds (`_redirects`),
to the entity that took over its posts: the one the editorial file renames or merges
it into; else, among the entities tagging most of the first posts it listed
(remembered by key), one new in this build (the tagger names it otherwise) or one
with its slug (the tagger made it another kind). An entity that was blocked, or
that those posts now mention only in passing (a news agency credited as a source),
took over by nobody, is gone: its page is no longer made. A redirect, once found,
stays (its line says where); set its target to - to have it found again.

The file is plain text, one line per post or entity, sorted, tab-separated, after a
line naming the seeds folder it remembers (relative to the file's folder): a build of
another seeds folder reads the file but never writes it, so a test or benchmark that
forgets its own URL_MEMORY cannot fill the site's memory with its posts.

    post    <seed path>  <text digest>  <URL>  [<earlier URLs, oldest first> …]
    entity  <URL>        <redirect target, or ->  <keys of its first posts> …

(a post's key: the first 10 hex digits of the SHA-256 of its feed id).

The build adds and updates lines, never removes one (a removed seed keeps its URL
reserved, and gets it back if it returns). Lines repeated by a merge (git's union
merge, see .gitattributes) are folded together. The same seeds and the same file
give the same site, byte for byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path

from ..logs import every_time_logger
from ..settings import memory_path, save_as, seeds_path
from ..slugs import make_slug
from ..tagging import editorial

logger = every_time_logger(__name__)

HEADER = """\
# Bulletin's URL memory: where each post and entity page was first published, so
# that it stays there (plugins/bulletin/posts/urlmemory.py). The build keeps it; commit it
# with the seeds. After a merge, keep every line of both sides: the build folds them.
#   seeds <TAB> the seeds folder, relative to this file's folder (another is not written)
#   post <TAB> seed path <TAB> text digest <TAB> URL [<TAB> earlier URLs, oldest first]
#   entity <TAB> URL <TAB> redirect target or - <TAB> keys of its first posts
"""
DIGEST_CHARS = 16
SAMPLES = 5  # an entity's first posts remembered, to find where they went
NOT_REDIRECTED = "-"


@dataclass
class PostRecord:
    path: str
    digest: str
    url: str
    former: list[str] = field(default_factory=list)  # earlier URLs, oldest first

    @property
    def id(self) -> str:
        """The URL first published at: the post's feed id."""
        return self.former[0] if self.former else self.url

    def urls(self) -> list[str]:
        return [*self.former, self.url]

    def line(self) -> str:
        return "\t".join(["post", self.path, self.digest, self.url, *self.former])


@dataclass
class EntityRecord:
    url: str
    target: str  # "" while the entity is published
    samples: tuple[str, ...]  # keys of its first posts (post_key)

    def line(self) -> str:
        return "\t".join(["entity", self.url, self.target or NOT_REDIRECTED, *self.samples])


@dataclass
class Memory:
    posts: dict[str, PostRecord] = field(default_factory=dict)  # by seed path
    entities: dict[str, EntityRecord] = field(default_factory=dict)  # by URL
    seeds: str = ""  # the seeds folder it remembers, relative to the file's folder
    text: str = ""  # as read, to write only when something changed

    @classmethod
    def load(cls, path: Path) -> Memory:
        """The memory in the file (empty if there is none); a line that cannot be
        read is named and skipped (it is dropped when the file is next written)."""
        memory = cls()
        if not path.is_file():
            return memory
        memory.text = path.read_text("utf-8")
        for number, line in enumerate(memory.text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if fields[0] == "seeds" and len(fields) == 2:
                memory.seeds = fields[1]
            elif fields[0] == "post" and len(fields) >= 4 and all(fields[1:4]):
                memory._add_post(PostRecord(fields[1], fields[2], fields[3], fields[4:]))
            elif fields[0] == "entity" and len(fields) >= 3 and fields[1]:
                target = "" if fields[2] == NOT_REDIRECTED else fields[2]
                memory._add_entity(EntityRecord(fields[1], target, tuple(fields[3:])))
            else:
                logger.warning("URL memory %s, line %d: not understood, skipped", path, number)
        return memory

    def _add_post(self, record: PostRecord) -> None:
        """Add a line; a second line for the same seed (from a merge) is folded
        into the first: the later URL is the one kept, the other redirects."""
        known = self.posts.get(record.path)
        if known is None:
            self.posts[record.path] = record
            return
        first, second = sorted([known, record], key=lambda r: (len(r.former), r.url))
        urls = list(dict.fromkeys(first.urls() + second.urls()))
        urls.remove(second.url)
        self.posts[record.path] = PostRecord(record.path, second.digest, second.url, urls)

    def _add_entity(self, record: EntityRecord) -> None:
        known = self.entities.get(record.url)
        if known is None or (record.target, record.samples) < (known.target, known.samples):
            self.entities[record.url] = record

    def dump(self) -> str:
        lines = [f"seeds\t{self.seeds}"] if self.seeds else []
        lines += [r.line() for _, r in sorted(self.posts.items())]
        lines += [r.line() for _, r in sorted(self.entities.items())]
        return HEADER + "".join(line + "\n" for line in lines)

    def save(self, path: Path) -> bool:
        """Write the file (atomically) if it changed; return whether it did."""
        text = self.dump()
        if text == self.text:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
        ) as file:
            file.write(text)
        os.chmod(file.name, _mode(path))
        os.replace(file.name, path)
        self.text = text
        return True


def _mode(path: Path) -> int:
    """The file's permissions: as they were, or as the umask gives a new file."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@dataclass
class Build:
    """The memory as this build uses it, and what it decided."""

    path: Path
    memory: Memory
    known_entities: frozenset[str] = frozenset()  # entity URLs remembered before this build
    post_redirects: dict[str, str] = field(default_factory=dict)  # old URL → URL
    entity_redirects: dict[str, str] = field(default_factory=dict)
    writable: bool = True  # the memory of this build's seeds folder


_build: Build | None = None


def assign_post_urls(generator) -> None:
    """On article_generator_finalized: give every post its remembered URL and feed
    id, remember new posts (and renamed seed files)."""
    global _build
    settings = generator.settings
    path = memory_path(settings)
    memory = Memory.load(path)
    _build = Build(path, memory, frozenset(memory.entities))
    folder = seeds_path(settings)
    seeds = Path(os.path.relpath(folder, path.parent)).as_posix()
    if memory.seeds and memory.seeds != seeds:
        logger.warning(
            "URL memory %s remembers the seeds folder %s, not this build's %s: read, not "
            "written (give this site its own URL_MEMORY)",
            path,
            memory.seeds,
            seeds,
        )
        _build.writable = False
    memory.seeds = seeds
    prefix = os.path.join(folder, "")
    names = {
        id(a): _seed_name(a, folder, prefix)
        for a in generator.articles
        if getattr(a, "view", None) is not None
    }
    articles = sorted((a for a in generator.articles if id(a) in names), key=lambda a: names[id(a)])
    current = set(names.values())
    # Seeds gone since the last build, by text (of one text, the first path's).
    gone = {
        record.digest: record
        for path, record in sorted(memory.posts.items(), reverse=True)
        if path not in current
    }
    taken = {url for record in memory.posts.values() for url in record.urls()}
    fresh = []
    for article in articles:
        name, digest = names[id(article)], article.view.seed.digest[:DIGEST_CHARS]
        record = memory.posts.get(name)
        if record is None and digest in gone:
            record = gone.pop(digest)
            logger.info("Seed %s: renamed from %s, keeps %s", name, record.path, record.url)
            del memory.posts[record.path]
            record.path = name
            memory.posts[name] = record
        if record is None:
            fresh.append(article)
            continue
        record.digest = digest
        if article.view.seed.slug_header and article.url != record.url:
            _move(article, record, taken)
        _set_url(article, record)
    used = {record.url for record in memory.posts.values()}
    for article in fresh:  # new posts, in path order: today's rules, unless the URL is taken
        name = names[id(article)]
        url = _unique_url(article.url, name, taken | used)
        if url != article.url:
            logger.warning(
                "Seed %s: %s was published before for another post; published as %s",
                name,
                article.url,
                url,
            )
        record = memory.posts[name] = PostRecord(name, article.view.seed.digest[:DIGEST_CHARS], url)
        used.add(url)
        _set_url(article, record)
    for record in memory.posts.values():
        if record.path in current:
            for old in record.former:
                if old != record.url:
                    _build.post_redirects[old] = record.url
    generator.articles.sort(key=lambda a: (a.date, a.slug), reverse=True)


def _seed_name(article, folder: Path, prefix: str) -> str:
    """The seed's path under the seeds folder (else its whole path), as posts.py
    names it; prefix: the folder's path with a separator at the end."""
    path = article.view.seed.path
    if path.startswith(prefix):  # both made by pathlib: no "." or "//" in them
        rest = path[len(prefix) :]
        return rest if os.sep == "/" else Path(rest).as_posix()
    path = Path(path)
    return path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)


def _move(article, record: PostRecord, taken: set[str]) -> None:
    """A slug: header asks for another URL: move there, unless another post has it."""
    owner = next((r for r in _build.memory.posts.values() if article.url in r.urls()), None)
    if owner is not None and owner is not record:
        logger.warning(
            "Seed %s: slug: %s gives %s, which another post (%s) was published at; kept at %s",
            record.path,
            article.view.seed.slug_header,
            article.url,
            owner.path,
            record.url,
        )
        return
    logger.info("Seed %s: moved from %s to %s (slug: header)", record.path, record.url, article.url)
    record.former.append(record.url)
    record.url = article.url
    taken.add(article.url)


def _unique_url(url: str, name: str, taken: set[str]) -> str:
    if url not in taken:
        return url
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
    base = url.rstrip("/")
    end = url[len(base) :]
    candidates = chain(
        (f"{base}-{digest[:size]}{end}" for size in (8, 16, 64)),
        (f"{base}-{digest}-{n}{end}" for n in count(2)),
    )
    return next(c for c in candidates if c not in taken)


def _set_url(article, record: PostRecord) -> None:
    article.override_url = record.url
    article.override_save_as = save_as(record.url)
    article.slug = record.url.rstrip("/").rsplit("/", 1)[-1]
    article.view.feed_id = record.id


def remember_entities(entity_pages: dict, articles: list, settings: dict) -> None:
    """Record the entity pages of this build; find where each page no longer made
    went (see the module's doc)."""
    if _build is None:
        return
    memory = _build.memory
    live = {page.url: page for pages in entity_pages.values() for page in pages}
    for url, page in live.items():
        record = memory.entities.get(url)
        if record is None:
            first = sorted(page.articles, key=lambda a: (a.date, a.view.feed_id))[:SAMPLES]
            memory.entities[url] = EntityRecord(url, "", tuple(post_key(a) for a in first))
        else:
            record.target = ""
    by_key = None  # the posts by post_key, once an entity page gone needs them
    moves = _editorial_moves(settings)
    for url, record in sorted(memory.entities.items()):
        if url in live:
            continue
        if not _resolve(record.target, live):
            if by_key is None:
                by_key = {post_key(a): a for a in articles}
            record.target = _new_home(record, by_key, live, moves)
        if target := _resolve(record.target, live):
            _build.entity_redirects[url] = target
            for key in ("ENTITY_FEED_RSS", "ENTITY_FEED_ATOM", "ENTITY_FEED_JSON"):
                if live[target].feed_links:
                    _build.entity_redirects[url + settings[key]] = target + settings[key]


def _resolve(target: str, live: dict) -> str:
    """The live page a redirect ends at ("" if none), following a chain of them."""
    seen = set()
    while target and target not in live and target not in seen:
        seen.add(target)
        record = _build.memory.entities.get(target)
        target = record.target if record else ""
    return target if target in live else ""


def post_key(article) -> str:
    """A short, permanent key of a post: of its feed id."""
    post_id = article.view.feed_id or article.url
    return hashlib.sha256(post_id.encode("utf-8", "surrogateescape")).hexdigest()[:10]


def _new_home(record: EntityRecord, by_key: dict, live: dict, editorial: dict) -> str:
    """The live page that took over the entity's posts: one its first posts still
    have (by a majority) that the editorial file names as its new name or merge, or
    that is new in this build, or that has its slug (another kind); "" if none (the
    entity was blocked, or is now only mentioned in passing, as a source is)."""
    if (target := editorial.get(record.url)) in live:
        return target
    posts = [a for key in record.samples if (a := by_key.get(key)) is not None]
    slug = _last(record.url)
    if any(tag.entity.slug == slug for a in posts for tag in a.view.tags.mentioned):
        logger.info("Entity page %s: now only mentioned in passing, not redirected", record.url)
        return ""
    votes = Counter(page.url for a in posts for page in a.view.pages())
    eligible = [
        url
        for url, count in votes.items()
        if 2 * count > len(posts) and (url not in _build.known_entities or _last(url) == slug)
    ]
    if not eligible:
        logger.info("Entity page %s: no longer made, and no entity took over its posts", record.url)
        return ""
    kind_path = record.url.rstrip("/").rsplit("/", 1)[0] + "/"

    def rank(url: str):
        return (votes[url], _last(url) == slug, url.startswith(kind_path))

    target = max(sorted(eligible), key=rank)  # ties: the first URL
    logger.info("Entity page %s: no longer made; redirects to %s", record.url, target)
    return target


def _editorial_moves(settings: dict) -> dict[str, str]:
    """Entity URL → URL, by the renames and merges of the editorial file."""
    try:
        rules, _ = editorial.load(Path(settings["PATH"], settings["ENTITIES_FILE"]))
    except editorial.EditorialError:
        return {}
    urls = settings["ENTITY_URLS"]
    moves = {}
    for (kind, old), name in rules.merges.items():
        shown = rules.renames.get((kind, name), name)
        moves[urls[kind].format(slug=make_slug(old))] = urls[kind].format(slug=make_slug(shown))
    for (kind, name), shown in rules.renames.items():
        moves[urls[kind].format(slug=make_slug(name))] = urls[kind].format(slug=make_slug(shown))
    return moves


def _last(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def redirects() -> dict[str, str]:
    """Old URL → URL, of this build (posts and entities, feeds included)."""
    if _build is None:
        return {}
    return dict(sorted({**_build.post_redirects, **_build.entity_redirects}.items()))


def forget_build() -> None:
    """Drop what assign_post_urls decided without saving it (quickpage.py: a quick
    page's URL is that page's, not a build's)."""
    global _build
    _build = None


def save_memory(*_) -> None:
    """On finalized: write the memory file if the build changed it."""
    global _build
    if _build is not None:
        if _build.writable and _build.memory.save(_build.path):
            logger.info("URL memory %s updated: commit it with the seeds", _build.path)
        _build = None
