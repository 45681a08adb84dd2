"""`make devserver`: a live preview. Builds the site into its own folder (preview/,
never output/, so a `make publish` meanwhile is safe), serves it, and builds it again
whenever a seed under SEEDS_PATH, a file under content/ (pages, entities.yml), the
theme or the settings change.

Links are root-relative (SITEURL is ""), so the preview works on any port and from
any machine that can reach it; a missing page gets the site's 404 page. Builds run in
this process, one after the other, so the tagger and its caches stay warm; a build
that fails is reported and the last good preview stays served. Ctrl-C (or SIGTERM)
stops the server, the watcher and any process a build started.

    python -m bulletin.devserver [--port 8000] [--bind 127.0.0.1] [--settings pelican.conf.py]
"""

from __future__ import annotations

import argparse
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

import jinja2
import watchfiles
from pelican import Pelican
from pelican.log import DEFAULT_LOG_HANDLER
from pelican.log import init as init_logging
from pelican.settings import read_settings

logger = logging.getLogger("bulletin.devserver")

PREVIEW_PATH = "preview"
# What a preview changes: the address and the output folder.
PREVIEW_SETTINGS = {"SITEURL": "", "FEED_DOMAIN": "", "RELATIVE_URLS": False}
OTHER_SETTINGS_FILES = ("pelicanconf.py", "pelican.conf.py", "publishconf.py")


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
    signal.signal(signal.SIGTERM, _stop)  # as Ctrl-C: through the finally below

    preview = Preview(args.settings.resolve(), Path(args.output).resolve())
    preview.build()
    server = ThreadingHTTPServer(
        (args.bind, args.port), functools.partial(SiteHandler, directory=str(preview.output))
    )
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
        for child in multiprocessing.active_children():
            child.terminate()
            child.join()
    return 0


def _stop(*_) -> None:
    if os.getpid() != _MAIN_PID:  # a process a build forked: it inherited this handler
        os._exit(128 + signal.SIGTERM)
    raise KeyboardInterrupt


_MAIN_PID = os.getpid()


class Preview:
    """The preview's builds: settings read anew for each one."""

    def __init__(self, settings_file: Path, output: Path):
        self.settings_file = settings_file
        self.output = output
        self.compiled = CompiledTemplates()

    def settings(self) -> dict:
        settings = read_settings(
            str(self.settings_file), override={**PREVIEW_SETTINGS, "OUTPUT_PATH": str(self.output)}
        )
        jinja = settings["JINJA_ENVIRONMENT"]
        settings["JINJA_ENVIRONMENT"] = {**jinja, "bytecode_cache": self.compiled}
        return settings

    def build(self) -> bool:
        """Build the preview; on failure say why and keep the last one."""
        started = time.perf_counter()
        try:
            Pelican(self.settings()).run()
        except Exception as error:  # a broken seed folder, editorial file, template…
            logger.error("Preview not rebuilt: %s: %s", type(error).__name__, error)
            return False
        print(f"Preview rebuilt in {time.perf_counter() - started:.1f} s", flush=True)
        return True

    def watched(self) -> tuple[list[Path], set[Path]]:
        """The folders and files to watch, and the files to ignore (those builds write)."""
        settings = self.settings()
        root = self.settings_file.parent
        paths = [
            Path(settings["SEEDS_PATH"]),
            Path(settings["PATH"]),
            Path(settings["THEME"]),
            self.settings_file,
            *(root / name for name in OTHER_SETTINGS_FILES),
        ]
        ignored = {Path(settings["URL_MEMORY"]).resolve()}
        return sorted({p.resolve() for p in paths if p.exists()}), ignored

    def watch(self) -> None:
        """Build again after each change, until stopped."""
        while True:
            paths, ignored = self.watched()
            changed_settings = False
            for changes in watchfiles.watch(*paths, watch_filter=SourceFilter(ignored)):
                names = sorted({os.path.basename(path) for _, path in changes})
                more = " …" if len(names) > 5 else ""
                print(f"Changed: {', '.join(names[:5])}{more}", flush=True)
                self.build()
                changed_settings = any(Path(p).suffix == ".py" for _, p in changes)
                if changed_settings:
                    break  # the settings may name other folders: watch those
            if not changed_settings:
                return


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
    """Serves the preview folder; a missing page gets the site's 404.html."""

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
