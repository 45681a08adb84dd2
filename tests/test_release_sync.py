"""Two release folders used in turn (releases.py, sync.py): each build brings the
spare one up to the new site touching only what changed in the last two builds,
leaves every unchanged file as it was (inode and mtime), and publishes exactly
the site a build from scratch makes."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from bulletin.publish import releases as release_folders
from conftest import build_site, good_seeds, tree

NEW_SEED = " date 2024-06-10 Germany and NATO agreed on a new plan.\n"
OTHER_SEED = " date 2024-06-12 Kazakhstan and Uzbekistan signed a water deal in Tashkent.\n"
NEW = "2024/06/10/germany-and-nato-agreed-on-a-new-plan/index.html"
OSCE_SEED = "2024-06-01-osce-session.txt"
OSCE = "2024/06/01/the-osce-pa-opened-its-annual-session-in-bucharest/index.html"


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and mtime."""
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            info = path.stat()
            found[path.relative_to(root).as_posix()] = (info.st_ino, info.st_mtime_ns)
    return found


def from_scratch(tmp_path: Path, seeds: Path, name: str, **settings) -> dict[str, bytes]:
    """The site a build from scratch makes of seeds, with the URL memory as it is."""
    clean = tmp_path / name
    clean.mkdir()
    shutil.copy(tmp_path / "urls.tsv", clean / "urls.tsv")
    return tree(build_site(clean, seeds, **settings))


def numbered(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / ".output.releases").iterdir() if p.name.isdigit())


def live(tmp_path: Path) -> Path:
    return tmp_path / ".output.releases" / os.readlink(tmp_path / "output").split("/")[-1]


def test_each_build_publishes_the_site_from_scratch_and_keeps_unchanged_files(tmp_path):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    folders = {(tmp_path / ".output.releases/00000001").stat().st_ino}
    steps = [
        ("add", lambda: (seeds / "new.txt").write_text(NEW_SEED)),
        ("edit", lambda: (seeds / "new.txt").write_text(NEW_SEED.replace("plan", "plan."))),
        ("remove", lambda: (seeds / OSCE_SEED).unlink()),
        ("add another", lambda: (seeds / "other.txt").write_text(OTHER_SEED)),
        ("remove new", lambda: (seeds / "new.txt").unlink()),
    ]
    for number, (step, change) in enumerate(steps, start=2):
        before, replaced = stamps(output), live(tmp_path)
        kept_before = tree(output)
        change()
        build_site(tmp_path, seeds)
        assert os.readlink(output) == f".output.releases/{number:08d}", step
        assert numbered(tmp_path) == [f"{number - 1:08d}", f"{number:08d}"], step
        folders.add(live(tmp_path).stat().st_ino)
        # the replaced release is as it was, for readers still in it
        assert stamps(replaced) == before and tree(replaced) == kept_before, step
        after, site = stamps(output), tree(output)
        assert site == from_scratch(tmp_path, seeds, f"clean-{number}"), step
        for name in set(before) & set(after):
            if site[name] == kept_before[name]:
                assert after[name] == before[name], f"{step}: {name} touched"
        assert (OSCE in site) == (seeds / OSCE_SEED).exists(), step  # removed: gone
        assert (NEW in site) == (seeds / "new.txt").exists(), step
    assert len(folders) == 2  # two folders, used in turn


def test_a_rebuild_touches_only_what_changed_in_the_last_two_builds(tmp_path, monkeypatch):
    """The old publish step hard-linked every unchanged file into a new release."""
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    sites = [stamps(output)]
    (seeds / "new.txt").write_text(NEW_SEED)
    build_site(tmp_path, seeds)
    sites.append(stamps(output))
    touched = []
    for name in ("link", "replace", "unlink", "rename"):
        operation = getattr(os, name)

        def counted(*args, operation=operation, **kwargs):
            done = operation(*args, **kwargs)  # (a link that finds its file there does not count)
            if ".output.releases/" in os.fspath(args[-1]):
                touched.append(os.fspath(args[-1]))
            return done

        monkeypatch.setattr(os, name, counted)
    (seeds / "other.txt").write_text(OTHER_SEED)
    build_site(tmp_path, seeds)
    monkeypatch.undo()
    sites.append(stamps(output))
    changed = {
        name
        for name in set().union(*sites)
        if len({site.get(name) for site in sites}) > 1  # new, changed or removed
    }
    files = [path for path in touched if "/staging/" not in path and "journal" not in path]
    names = {path.split(".output.releases/", 1)[1].split("/", 1)[-1] for path in files}
    assert names <= changed | {"00000001", "00000003"}  # and the folder renamed
    assert len(changed) < len(sites[-1]) / 2  # far from every file
    assert len(files) <= 2 * len(changed) + 1  # at most an unlink and a link each


def test_a_removed_seed_stays_gone_from_both_releases(tmp_path):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    (seeds / OSCE_SEED).unlink()
    build_site(tmp_path, seeds)
    assert not (output / OSCE).exists()
    assert not (output / OSCE).parent.parent.exists()  # its emptied folders too
    build_site(tmp_path, seeds)  # nothing changed: the live release stays
    for seed, text in (("new.txt", NEW_SEED), ("other.txt", OTHER_SEED)):
        (seeds / seed).write_text(text)
        build_site(tmp_path, seeds)  # the spare, which had the post, goes live
        assert not (output / OSCE).exists() and not (output / OSCE).parent.parent.exists()


def test_kept_and_retained_files_follow_the_live_site_over_builds(tmp_path):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    (output / ".git").mkdir()
    (output / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (output / "stale.html").write_text("an old page")
    keep = {"OUTPUT_RETENTION": [".git"], "DELETE_OUTPUT_DIRECTORY": False}
    for number, (seed, text) in enumerate((("new.txt", NEW_SEED), ("other.txt", OTHER_SEED))):
        (seeds / seed).write_text(text)
        (output / ".git/HEAD").unlink()  # as git does: a new file renamed over
        (output / ".git/HEAD").write_text(f"commit {number}\n")
        build_site(tmp_path, seeds, **keep)
        assert (output / "stale.html").read_text() == "an old page"
        assert (output / ".git/HEAD").read_text() == f"commit {number}\n"
    (output / "stale.html").unlink()  # removed by hand: kept files are what output/ holds
    (seeds / "new.txt").unlink()
    build_site(tmp_path, seeds, **keep)
    assert not (output / "stale.html").exists()
    (output / "stale.html").write_text("an old page")
    for seed, text in (("new.txt", NEW_SEED), ("other.txt", OTHER_SEED + "More.\n")):
        (seeds / seed).write_text(text)
        build_site(tmp_path, seeds, OUTPUT_RETENTION=[".git"])  # stale files dropped
        assert not (output / "stale.html").exists()
        assert (output / ".git/HEAD").read_text() == "commit 1\n"


def test_files_put_into_output_by_hand_do_not_come_back(tmp_path):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    (output / "google123.html").write_text("verification")
    (output / "extra").mkdir()
    (output / "extra/page.html").write_text("by hand")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(output / "2024")
    (output / "2024").symlink_to(elsewhere)
    for seed, text in (("new.txt", NEW_SEED), ("other.txt", OTHER_SEED), ("new.txt", "")):
        if text:
            (seeds / seed).write_text(text)
        else:
            (seeds / seed).unlink()
        build_site(tmp_path, seeds)
        site = tree(output)
        assert "google123.html" not in site and "extra/page.html" not in site
        assert not (output / "2024").is_symlink() and list(elsewhere.iterdir()) == []
        assert site == from_scratch(tmp_path, seeds, f"clean-{len(list(tmp_path.iterdir()))}")


def test_a_damaged_journal_is_reported_and_the_spare_checked_file_by_file(tmp_path, caplog):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    (seeds / "new.txt").write_text(NEW_SEED)
    build_site(tmp_path, seeds)
    journal = tmp_path / ".output.releases/journal.store"
    data = bytearray(journal.read_bytes())
    data[-1] ^= 1
    journal.write_bytes(bytes(data))
    spare = tmp_path / ".output.releases/00000001"
    (spare / "about/index.html").unlink()  # damage the journal would not know of
    (spare / "about/index.html").write_text("not this")
    (spare / "2024/06/01/left-over").mkdir(parents=True)
    (spare / "2024/06/01/left-over/index.html").write_text("from nowhere")
    (seeds / "other.txt").write_text(OTHER_SEED)
    caplog.set_level(logging.WARNING)
    build_site(tmp_path, seeds)
    assert f"Cache {journal} damaged" in caplog.text
    assert os.readlink(output) == ".output.releases/00000003"
    assert tree(output) == from_scratch(tmp_path, seeds, "clean")


def test_the_release_folders_of_the_older_layout_are_taken_over(tmp_path):
    """Before, every build made a release folder of its own: the live one and the
    one before it are kept, older ones removed; the one before becomes the
    spare, checked file by file once."""
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    folder = tmp_path / ".output.releases"
    (folder / "00000001").rename(folder / "00000007")
    os.unlink(output)
    os.symlink(".output.releases/00000007", output)
    shutil.copytree(folder / "00000007", folder / "00000006")  # copies, not links
    (folder / "00000006/stale.html").write_text("an old page")
    (folder / "00000005").mkdir()
    (seeds / "new.txt").write_text(NEW_SEED)
    build_site(tmp_path, seeds)
    assert numbered(tmp_path) == ["00000007", "00000008"]
    assert tree(output) == from_scratch(tmp_path, seeds, "clean")
    before, after = stamps(folder / "00000007"), stamps(output)
    linked = [name for name in after if after[name] == before.get(name)]
    assert "about/index.html" in linked  # the copy was replaced by the live file
    assert release_folders.GONE  # older ones renamed away, removed in the background
    assert not (folder / "00000005").exists() and not (folder / "00000006").exists()


def test_a_sync_that_fails_halfway_leaves_the_live_site_and_is_repaired(tmp_path, monkeypatch):
    """The machine's tests run as root, which no file mode stops: the error a
    read-only folder gives is raised by the 3rd file placed into the spare."""
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    (seeds / "new.txt").write_text(NEW_SEED)
    build_site(tmp_path, seeds)
    before = stamps(output)
    (seeds / "new.txt").unlink()
    calls = []
    for name in ("link", "replace"):
        operation = getattr(os, name)

        def failing(*args, operation=operation, **kwargs):
            if "/.output.releases/0" in os.fspath(args[1]):
                calls.append(args)
                if len(calls) == 3:
                    raise PermissionError(13, "Permission denied", str(args[1]))
            return operation(*args, **kwargs)

        monkeypatch.setattr(os, name, failing)
    with pytest.raises(PermissionError):
        build_site(tmp_path, seeds)
    monkeypatch.undo()
    assert len(calls) == 3 and stamps(output) == before
    assert numbered(tmp_path) == ["00000001", "00000002"]  # the spare, half brought up
    build_site(tmp_path, seeds)
    assert tree(output) == from_scratch(tmp_path, seeds, "clean")
