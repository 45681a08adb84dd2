"""The `pelican` command itself, as a user runs it from the repository root."""

import subprocess
import sys
from pathlib import Path

import feedparser

from conftest import FIXTURES, ROOT


def pelican(*args, cwd=ROOT):
    command = [Path(sys.executable).with_name("pelican"), *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True)


def test_extra_settings_choose_seeds_and_siteurl(tmp_path):
    output = tmp_path / "output"
    seeds, siteurl = FIXTURES / "seeds", "https://news.example.org"
    pelican(
        "-s", "pelican.conf.py", "-o", str(output),
        "-e", f'SEEDS_PATH="{seeds}"', f'SITEURL="{siteurl}"', f'CACHE_PATH="{tmp_path}/cache"',
        f'URL_MEMORY="{tmp_path}/urls.tsv"',
    )  # fmt: skip
    feed = feedparser.parse((output / "country/kazakhstan/rss.xml").read_bytes())
    assert feed.bozo == 0
    assert {e.link.split("/20")[0] for e in feed.entries} == {siteurl}
    assert f'href="{siteurl}/country/kazakhstan/"' in (output / "countries/index.html").read_text()


def test_pelicanconf_loads_the_same_settings():
    from pelican.settings import get_settings_from_file

    main = get_settings_from_file(str(ROOT / "pelican.conf.py"))
    default = get_settings_from_file(str(ROOT / "pelicanconf.py"))
    assert default == main
    assert default["PLUGINS"] == ["bulletin"]
