"""Publishing the Pelican way: publishconf.py and the Makefile's publish, rsync_upload
and github targets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pelican.settings import get_settings_from_file

from conftest import ROOT


def publish_settings(**env) -> dict:
    code = "import json, pelican.settings as s; print(json.dumps(s.get_settings_from_file('publishconf.py'), default=str))"
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=os.environ | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def test_publishconf_is_the_site_with_its_public_address():
    site = json.loads(
        json.dumps(get_settings_from_file(str(ROOT / "pelican.conf.py")), default=str)
    )
    public = publish_settings(SITEURL="")
    assert public["SITEURL"].startswith("https://") and public["FEED_DOMAIN"] == public["SITEURL"]
    assert public["RELATIVE_URLS"] is False
    assert public["SEARCH_FULL_TEXT"] is True
    same = {k for k in site if k not in {"SITEURL", "FEED_DOMAIN", "RELATIVE_URLS"}}
    assert {k: site[k] for k in same} == {k: public[k] for k in same}
    chosen = publish_settings(SITEURL="https://news.example.net")
    assert chosen["SITEURL"] == chosen["FEED_DOMAIN"] == "https://news.example.net"


def make_n(*args: str) -> str:
    command = ["make", "--no-print-directory", "-n", *args]  # also when make test runs it
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return run.stdout + run.stderr


def test_make_targets_publish_into_output_and_upload_it():
    assert "SITEURL='https://a.example' .venv/bin/pelican -s publishconf.py" in make_n(
        "publish", "SITEURL=https://a.example"
    )
    upload = make_n("rsync_upload", "SSH_HOST=h", "SSH_USER=u", "SSH_TARGET_DIR=/srv/www")
    assert "--delete output/" in upload and '"u@h:/srv/www"' in upload
    devserver = make_n("devserver", "PORT=8001", "BIND=0.0.0.0")
    assert "-m bulletin.devserver --port 8001 --bind 0.0.0.0" in devserver
    github = make_n("github")
    assert "pelican -s publishconf.py" in github
    assert "ghp-import -n -p -r origin -b gh-pages" in github
    assert github.rstrip().endswith('-m "Publish" output')


def test_ghp_import_commits_the_site_to_the_pages_branch(tmp_path):
    repo, site = tmp_path / "repo", tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>Bulletin</title>", "utf-8")
    (site / "_redirects").write_text("/old/ /new/ 301\n", "utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    env = os.environ | {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    ghp_import = Path(sys.executable).with_name("ghp-import")
    command = [ghp_import, "--no-jekyll", "--branch", "gh-pages", "-m", "Publish", str(site)]
    subprocess.run(command, cwd=repo, env=env, check=True)
    listed = subprocess.run(
        ["git", "ls-tree", "--name-only", "gh-pages"], cwd=repo, capture_output=True, text=True
    ).stdout.split()
    assert sorted(listed) == [".nojekyll", "_redirects", "index.html"]
