"""`make devserver`: a live preview. Builds the site into its own folder (preview/,
never output/, so a `make publish` meanwhile is safe), serves it, and builds it again
whenever a seed under SEEDS_PATH, a file under content/ (pages, entities.yml), the
theme or the settings change.

Links are root-relative (SITEURL is ""), so the preview works on any port and from
any machine that can reach it; a missing page gets the site's 404 page. Ctrl-C (or
SIGTERM) stops the server, the watcher and any process a build started.

A saved seed's page is shown first: the seed is made into its post and page at once
from the last build's state (quickpage.py), and the server serves that page from
memory ("Preview: <url> updated in X s (quick page, …)"). Then the full rebuild
runs in a forked process of its own, while this one goes on serving and answering
the next saves (the full build is paused while a quick page is made); when it is
live, its exact pages replace the quick ones. A change of
content/, the theme or the settings is built here, in this process, so that the
next quick pages start from it (the tagger and the compiled templates stay warm
across builds). A build that fails is reported and the last good preview stays.

    python -m bulletin.devserver [--port 8000] [--bind 127.0.0.1] [--settings pelican.conf.py]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import watchfiles
from pelican import Pelican, signals
from pelican.log import DEFAULT_LOG_HANDLER
from pelican.log import init as init_logging
from pelican.settings import read_settings

from .quickpage import LastBuild, NotShown

logger = logging.getLogger("bulletin.devserver")

PREVIEW_PATH = "preview"
# What a preview changes: the address and the output folder.
# FULL_BUILD: even with nothing changed, quick pages need the build's posts in memory.
PREVIEW_SETTINGS = {"SITEURL": "", "FEED_DOMAIN": "", "RELATIVE_URLS": False, "FULL_BUILD": True}
OTHER_SETTINGS_FILES = ("pelicanconf.py", "pelican.conf.py", "publishconf.py")
QUICK_MOST = 20  # seeds saved at once that get quick pages; more wait for the full build
POLL_MS = 200  # how often the watcher looks at the full build under way


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="devserver", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--settings", default="pelican.conf.py", type=Path)
    parser.add_argument("--output", default=PREVIEW_PATH, help="the preview's own folder")
    args = parser.parse_args(argv)
    plain = logging.StreamHandler()  # one line a message, when not on a terminal
    init_logging(
        level=logging.WARNING, handler=DEFAULT_LOG_HANDLER if sys.stderr.isatty() else plain
    )
    logger.setLevel(logging.INFO)
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)  # as Ctrl-C: through the finally below

    output = Path(os.path.abspath(args.output))  # not resolved: it is a link to a release
    preview = Preview(args.settings.resolve(), output)
    try:
        preview.build()
    except KeyboardInterrupt:
        print("Stopped during the first build: no preview served", file=sys.stderr, flush=True)
        return 128 + signal.SIGINT
    handler = functools.partial(
        SiteHandler, directory=str(preview.output), quick=preview.quick_pages
    )
    server = ThreadingHTTPServer((args.bind, args.port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"Preview on http://{args.bind}:{args.port}/ (Ctrl-C stops it)", flush=True)
    try:
        preview.watch()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        preview.stop_full_build()
        for child in multiprocessing.active_children():
            child.terminate()
            child.join()
    return 0


def _stop(number: int, _frame) -> None:
    """Ctrl-C or SIGTERM: stop. A process a build forked (tagging, writing pages)
    inherited this handler: Ctrl-C reaches it too (the terminal signals the whole
    process group), and it ends at once and quietly, its parent stopping too."""
    global _stopping
    if os.getpid() != _MAIN_PID:
        os._exit(128 + number)
    _stopping = True
    raise KeyboardInterrupt


_MAIN_PID = os.getpid()
_stopping = False  # once stopped: a build's error meanwhile (a worker gone) is the stop


class Preview:
    """The preview's builds (settings read anew for each one) and quick pages."""

    def __init__(self, settings_file: Path, output: Path):
        self.settings_file = settings_file
        self.output = output
        self.compiled = CompiledTemplates()
        self.quick_pages = QuickPages()
        self.last: LastBuild | None = None  # the state quick pages start from
        self.full: tuple[int, int] | None = None  # the full build under way: pid, generation
        self.pending = False  # seeds changed since the full build under way started

    def settings(self) -> dict:
        settings = read_settings(
            str(self.settings_file), override={**PREVIEW_SETTINGS, "OUTPUT_PATH": str(self.output)}
        )
        jinja = settings["JINJA_ENVIRONMENT"]
        settings["JINJA_ENVIRONMENT"] = {**jinja, "bytecode_cache": self.compiled}
        return settings

    def build(self) -> bool:
        """Build the preview here, and keep what quick pages need of it; on failure
        say why and keep the last good preview."""
        self.pending = False  # this build sees every change so far
        generation = self.quick_pages.generation
        generators = []

        def keep(found):
            generators[:] = found

        signals.all_generators_finalized.connect(keep)
        try:
            self._run()
        except Exception as error:  # a broken seed folder, editorial file, template…
            if _stopping:
                raise KeyboardInterrupt from None
            logger.error("Preview not rebuilt: %s: %s", type(error).__name__, error)
            return False
        finally:
            signals.all_generators_finalized.disconnect(keep)
        self.quick_pages.drop(generation)
        self.last = None
        try:
            self.last = LastBuild(generators)
            self.last.warm()
        except Exception as error:  # the preview is built; saves wait for full builds
            logger.warning(
                "Quick pages off until the next build: %s: %s", type(error).__name__, error
            )
        return True

    def _run(self) -> None:
        started = time.perf_counter()
        Pelican(self.settings()).run()
        print(f"Preview rebuilt in {time.perf_counter() - started:.1f} s", flush=True)

    def quick(self, names: list[Path]) -> None:
        """Quick pages for the saved seeds (by path under the seeds folder); removed
        ones first (a rename is a removal and a new file), their pages gone at once.
        The full build under way is paused meanwhile (SIGSTOP), so that it does not
        take the cores from them."""
        with self.full_build_paused():
            for name in sorted(names, key=lambda n: (self.last.exists(n), n)):
                self._quick(name)

    @contextlib.contextmanager
    def full_build_paused(self):
        paused = self.full is not None
        if paused:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.full[0], signal.SIGSTOP)
        try:
            yield
        finally:
            if paused:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.full[0], signal.SIGCONT)

    def _quick(self, name: Path) -> None:
        """The quick page of one seed, said in the terminal."""
        started, cpu = time.perf_counter(), time.process_time()
        try:
            page = self.last.update(name)
        except NotShown as error:
            print(
                f"Preview: {name}: no quick page ({error}); the full rebuild follows",
                flush=True,
            )
            return
        except Exception as error:  # a quick page is a bonus: the full build follows
            logger.warning(
                "Quick page of %s failed: %s: %s",
                name,
                type(error).__name__,
                error,
                exc_info=logger.isEnabledFor(logging.DEBUG),
            )
            return
        self.quick_pages.put(page.save_as, page.body)
        done = "removed" if page.body is None else "updated"
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"Preview: /{page.url} {done} in {took:.2f} s (quick page, {cpu:.2f} s CPU)",
            flush=True,
        )

    def start_full_build(self) -> None:
        """The full rebuild, in a forked process of its own (and process group, so
        that stopping it stops the processes it starts), this one serving meanwhile."""
        self.pending = False
        generation = self.quick_pages.generation
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                with contextlib.suppress(OSError):
                    os.setpgid(0, 0)
                self._run()
                code = 0
            except BaseException as error:
                logger.error("Preview not rebuilt: %s: %s", type(error).__name__, error)
            finally:
                for stream in (sys.stdout, sys.stderr):
                    stream.flush()
                os._exit(code)
        with contextlib.suppress(OSError):  # as the child does: whichever comes first
            os.setpgid(pid, pid)
        self.full = (pid, generation)

    def check_full_build(self, block: bool = False) -> None:
        """If the full build under way ended: its pages replace the quick pages it
        saw; a failed one leaves them. Start the next one if seeds changed since."""
        if self.full is not None:
            pid, generation = self.full
            done, status = os.waitpid(pid, 0 if block else os.WNOHANG)
            if not done:
                return
            self.full = None
            if os.waitstatus_to_exitcode(status) == 0:
                self.quick_pages.drop(generation)
        if self.pending and not block:
            self.start_full_build()

    def stop_full_build(self) -> None:
        if self.full is not None:
            pid, _ = self.full
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
                os.killpg(pid, signal.SIGCONT)  # were it paused
            os.waitpid(pid, 0)
            self.full = None

    def watched(self) -> tuple[list[Path], set[Path], Path]:
        """The folders and files to watch, the files to ignore (those builds write),
        and the seeds folder."""
        settings = self.settings()
        root = self.settings_file.parent
        seeds = Path(settings["SEEDS_PATH"]).resolve()
        paths = [
            seeds,
            Path(settings["PATH"]),
            Path(settings["THEME"]),
            self.settings_file,
            *(root / name for name in OTHER_SETTINGS_FILES),
        ]
        ignored = {Path(settings["URL_MEMORY"]).resolve()}
        return sorted({p.resolve() for p in paths if p.exists()}), ignored, seeds

    def watch(self) -> None:
        """Build again after each change, until stopped."""
        while True:
            paths, ignored, seeds = self.watched()
            changed_settings = False
            for changes in watchfiles.watch(
                *paths,
                watch_filter=SourceFilter(ignored),
                rust_timeout=POLL_MS,
                yield_on_timeout=True,
            ):
                if not changes:
                    self.check_full_build()
                    continue
                changed = sorted({Path(path) for _, path in changes})
                names = sorted({path.name for path in changed})
                more = " …" if len(names) > 5 else ""
                print(f"Changed: {', '.join(names[:5])}{more}", flush=True)
                only_seeds = all(path.is_relative_to(seeds) for path in changed)
                if only_seeds and self.last is not None and len(changed) <= QUICK_MOST:
                    self.quick([path.relative_to(seeds) for path in changed])
                    self.pending = True
                    self.check_full_build()
                    continue
                self.check_full_build(block=True)  # one build at a time: wait for it
                self.build()
                changed_settings = any(path.suffix == ".py" for path in changed)
                if changed_settings:
                    break  # the settings may name other folders: watch those
            if not changed_settings:
                return


class QuickPages:
    """Quick pages served before the files of the preview (by save_as: the file's
    path under the preview folder; None: a 404), each with the generation it was
    made in, so that a full build drops only those made before it started."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages: dict[str, tuple[int, bytes | None]] = {}
        self.generation = 0

    def put(self, save_as: str, body: bytes | None) -> None:
        with self.lock:
            self.generation += 1
            self.pages[save_as] = (self.generation, body)

    def drop(self, generation: int) -> None:
        """Forget the pages made up to generation (a build since made them all)."""
        with self.lock:
            self.pages = {k: v for k, v in self.pages.items() if v[0] > generation}

    def get(self, request_path: str) -> tuple[bool, bytes | None]:
        """Whether a quick page answers the request path, and its body."""
        path = unquote(urlsplit(request_path).path).lstrip("/")
        if path.endswith("/") or not path:
            path += "index.html"
        found = self.pages.get(path)
        return (found is not None, found[1] if found else None)


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once for all the preview's builds (a build makes
    a new Jinja environment; compiling them again takes seconds). Keyed by Jinja on
    each template's name and source: an edited template is compiled again."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class SourceFilter(watchfiles.DefaultFilter):
    """watchfiles' default filter (editor swap files, .git, caches …) without the files
    builds write themselves (the URL memory and its temporary files)."""

    def __init__(self, ignored: set[Path]):
        super().__init__()
        self.ignored = {str(p) for p in ignored}
        self.prefixes = tuple(str(p.with_name(f".{p.name}.")) for p in ignored)

    def __call__(self, change, path: str) -> bool:
        if path in self.ignored or path.startswith(self.prefixes):
            return False
        return super().__call__(change, path)


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the preview folder, quick pages first (they say so in a header,
    X-Preview: quick); a missing page gets the site's 404.html."""

    def __init__(self, *args, quick: QuickPages, **kwargs):
        self.quick = quick
        super().__init__(*args, **kwargs)

    def do_GET(self):
        if not self.send_quick():
            super().do_GET()

    def do_HEAD(self):
        if not self.send_quick():
            super().do_HEAD()

    def send_quick(self) -> bool:
        found, body = self.quick.get(self.path)
        if not found:
            return False
        if body is None:  # a post removed
            self.send_error(404)
            return True
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Preview", "quick")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return True

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".json": "application/json",
        ".xml": "application/xml",
        ".opml": "text/x-opml",
    }

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory, "404.html")
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # a preview is always fresh
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 (the base class' name)
        return None


if __name__ == "__main__":
    sys.exit(main())
