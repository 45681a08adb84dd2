"""Builds go to a release folder of their own: a failed build leaves output/ as it was, and a
good one changes only the files whose bytes changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, build_site, good_seeds

OSCE = "2024/06/01/the-osce-pa-opened-its-annual-session-in-bucharest/index.html"
NATO = "2024/06/03/foreign-ministers-of-nato-met-in-brussels-on-monday/index.html"
NEW = "2024/06/10/germany-and-nato-agreed-on-a-new-plan/index.html"


def snapshot(output: Path) -> dict[str, tuple[bytes, int, int]]:
    """Each file under output/: its bytes, mtime and inode."""
    return {
        path.relative_to(output).as_posix(): (
            path.read_bytes(),
            path.stat().st_mtime_ns,
            path.stat().st_ino,
        )
        for path in output.rglob("*")
        if path.is_file()
    }


def sync_line(printed: str) -> str:
    return next(line for line in printed.splitlines() if " files written (" in line)


def test_failing_build_leaves_the_previous_output_untouched(tmp_path, capsys):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    before = snapshot(output)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    # Entity indexes are written after the posts: the build fails part-way.
    (theme / "templates/entities.html").write_text("{{ nothing.at.all }}")
    (seeds / "new.txt").write_text(" date 2024-06-10 Germany and NATO agreed on a new plan.")
    with pytest.raises(Exception, match="nothing"):
        build_site(tmp_path, seeds, THEME=str(theme))
    assert snapshot(output) == before
    # Not counting the tag cache and the URL memory (conftest.build_site puts them there).
    left = sorted(p.name for p in tmp_path.iterdir() if p.name not in {"cache", "urls.tsv"})
    assert left == [".output.lock", ".output.releases", "output", "seeds", "theme"]
    assert [p.name for p in (tmp_path / ".output.releases").iterdir()] == ["00000001"]
    assert f"Build failed: {output} left as it was" in capsys.readouterr().out


def test_only_changed_files_are_written_and_stale_ones_removed(tmp_path, capsys):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    before = snapshot(output)
    assert sync_line(capsys.readouterr().out).endswith(
        f"{len(before)} files written ({len(before)} new, 0 changed), 0 unchanged, 0 removed"
    )

    (seeds / "new.txt").write_text(" date 2024-06-10 Germany and NATO agreed on a new plan.")
    (seeds / "2024-06-01-osce-session.txt").unlink()
    build_site(tmp_path, seeds)
    after = snapshot(output)

    assert NEW in after and NEW not in before
    assert OSCE in before and OSCE not in after
    assert not (output / "2024/06/01").exists()  # emptied folders go too
    # (every post page links its neighbours and related posts, so none stays the same)
    for same in ("about/index.html", "search/index.html", "theme/css/bulletin.css"):
        assert after[same] == before[same], same  # same bytes, mtime and inode
    assert after["index.html"][0] != before["index.html"][0]
    new = set(after) - set(before)
    removed = set(before) - set(after)
    changed = {f for f in set(after) & set(before) if after[f] != before[f]}
    unchanged = set(after) & set(before) - changed
    assert all(after[f][0] != before[f][0] for f in changed)  # rewritten only if different
    assert sync_line(capsys.readouterr().out) == (
        f"{output}: {len(new) + len(changed)} files written ({len(new)} new, "
        f"{len(changed)} changed), {len(unchanged)} unchanged, {len(removed)} removed"
    )


def test_retained_entries_stay_and_stale_files_follow_delete_output_directory(tmp_path, capsys):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    capsys.readouterr()
    (output / ".git").mkdir()
    (output / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (output / "CNAME").write_text("news.example.org\n")
    (output / "stale.html").write_text("an old page")
    (output / "old/deep").mkdir(parents=True)
    (output / "old/deep/index.html").write_text("an old page")

    build_site(tmp_path, seeds, OUTPUT_RETENTION=[".git", "CNAME"], DELETE_OUTPUT_DIRECTORY=False)
    assert (output / "stale.html").exists() and (output / "old/deep/index.html").exists()
    assert re.search(r", 2 from earlier builds kept$", sync_line(capsys.readouterr().out))

    build_site(tmp_path, seeds, OUTPUT_RETENTION=[".git", "CNAME"])
    assert not (output / "stale.html").exists() and not (output / "old").exists()
    assert (output / ".git/HEAD").read_text() == "ref: refs/heads/main\n"
    assert (output / "CNAME").read_text() == "news.example.org\n"
    assert sync_line(capsys.readouterr().out).endswith(", 2 removed")


def test_links_planted_in_output_are_replaced_not_written_through(tmp_path):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    elsewhere, victim = tmp_path / "elsewhere", tmp_path / "victim.txt"
    elsewhere.mkdir()
    victim.write_text("not yours")
    shutil.rmtree(output / "2024")
    (output / "2024").symlink_to(elsewhere)
    (output / "index.html").unlink()
    (output / "index.html").symlink_to(victim)

    build_site(tmp_path, seeds)
    assert list(elsewhere.iterdir()) == [] and victim.read_text() == "not yours"
    assert not (output / "2024").is_symlink() and (output / NATO).is_file()
    assert not (output / "index.html").is_symlink()


def test_output_holding_the_sources_is_built_in_place_removing_nothing(tmp_path):
    seeds = good_seeds(tmp_path)
    (tmp_path / "notes.txt").write_text("keep me")
    build_site(tmp_path, seeds, OUTPUT_PATH=str(tmp_path))
    assert (tmp_path / NATO).is_file()
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in seeds.iterdir()) == sorted(
        p.name for p in (FIXTURES / "seeds").iterdir() if p.name != "no-date.txt"
    )


def test_missing_seeds_folder_fails_the_build_instead_of_emptying_the_site(tmp_path):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    before = snapshot(output)
    with pytest.raises(FileNotFoundError, match="is not a folder: nothing built"):
        build_site(tmp_path, tmp_path / "unmounted")
    assert snapshot(output) == before


def test_a_release_folder_left_by_a_killed_build_is_removed_not_published(tmp_path):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    left = tmp_path / ".output.releases/00000002/2024/06/01/left-over"
    left.mkdir(parents=True)
    (left / "index.html").write_text("from a killed build")
    build_site(tmp_path, seeds)
    assert not (output / "2024/06/01/left-over").exists()
    assert not (tmp_path / ".output.releases/00000002").exists()
