"""The theme's templates compiled once, kept between builds (`cache/bulletin-jinja/`).

Every build makes new Jinja environments (Pelican makes one per generator, and
each output process renders with its own), and compiling the theme's templates
again took about half a second of each process' CPU. This is Jinja's bytecode
cache, in files: an entry is the code Jinja compiled for one template, under a
name digested from the template's name and the environment's compiling options
(syntax, extensions, autoescape, the filters and tests and how they are called:
what the compiled code depends on besides the source), and Jinja itself checks
that the source it was compiled from has the checksum of the template's source
now (an edited template is compiled again) and that it was made by this Jinja
bytecode format and Python. Each file carries a digest of its bytes: a damaged
file is never loaded, the template is compiled again and the file replaced.
Files are written whole (a temporary file renamed), so output processes writing
the same entry at once leave one of two equal files.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import jinja2
from jinja2.utils import _PassArg

FOLDER = "bulletin-jinja"
DIGEST_SIZE = 32


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, one file per template and environment."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        code = data[DIGEST_SIZE:]
        if hashlib.blake2b(code, digest_size=DIGEST_SIZE).digest() == data[:DIGEST_SIZE]:
            bucket.bytecode_from_string(code)  # Jinja resets it if made from another source

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = bucket.bytecode_to_string()
        data = hashlib.blake2b(code, digest_size=DIGEST_SIZE).digest() + code
        path = self._path(bucket)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except OSError:  # a read-only cache: compile again next time
            pass

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        options = compiling_options(bucket.environment)  # once per template and environment
        name = hashlib.blake2b(f"{options}\0{bucket.key}".encode(), digest_size=20).hexdigest()
        return self.folder / name


def compiling_options(environment: jinja2.Environment) -> str:
    """A digest of what Jinja's compiled code depends on besides a template's name
    and source."""

    def named(value) -> str:
        if value is None or isinstance(value, (bool, str, int)):
            return repr(value)
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value))}"

    def called(functions: dict) -> list:
        return sorted(
            (name, str(_PassArg.from_obj(f)), callable(f)) for name, f in functions.items()
        )

    e = environment
    options = (
        jinja2.__version__,
        sys.version,
        e.block_start_string,
        e.block_end_string,
        e.variable_start_string,
        e.variable_end_string,
        e.comment_start_string,
        e.comment_end_string,
        e.line_statement_prefix,
        e.line_comment_prefix,
        e.trim_blocks,
        e.lstrip_blocks,
        e.newline_sequence,
        e.keep_trailing_newline,
        e.optimized,
        e.is_async,
        named(e.autoescape),
        named(e.finalize),
        sorted(e.extensions),
        called(e.filters),
        called(e.tests),
    )
    return hashlib.blake2b(repr(options).encode(), digest_size=16).hexdigest()


def keep_compiled(settings: dict) -> None:
    """When a build starts: compile templates through the cache under CACHE_PATH,
    unless the site already set a bytecode cache (the devserver keeps its own) or
    caches are off (TAG_CACHE, as for the build's other caches)."""
    jinja = dict(settings.get("JINJA_ENVIRONMENT", {}))
    if jinja.get("bytecode_cache") is None and settings.get("TAG_CACHE", True):
        jinja["bytecode_cache"] = CompiledTemplates(Path(settings["CACHE_PATH"], FOLDER))
        settings["JINJA_ENVIRONMENT"] = jinja
