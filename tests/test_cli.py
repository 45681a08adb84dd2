import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES


def run(*paths):
    bulletin = Path(sys.executable).with_name("bulletin")
    return subprocess.run([bulletin, "tag", *map(str, paths)], capture_output=True, text=True)


def test_tag_prints_one_json_line_per_seed_and_fails_on_invalid_ones():
    result = run(FIXTURES / "seeds")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1
    assert [Path(r["file"]).name for r in records] == [
        "2024-05-21-tokayev-kurtulmus.txt",
        "2024-06-01-osce-session.txt",
        "2024-06-03-nato-ministers.txt",
        "no-date.txt",
    ]
    assert "no date" in records[-1]["error"] and set(records[-1]) == {"file", "error"}
    first = records[0]
    assert set(first) == {
        "file",
        "date",
        "title",
        "slug",
        "countries",
        "organisations",
        "people",
        "mentioned",
    }
    assert first["date"] == "2024-05-21"
    turkiye = next(c for c in first["countries"] if c["code"] == "TR")
    assert turkiye == {
        "name": "Türkiye",
        "code": "TR",
        "slug": "turkiye",
        "mentions": ["Türkiye", "Turkey"],
        "count": 2,
    }
    assert {"name", "slug", "mentions", "count"} <= set(first["people"][0])


def test_valid_seeds_exit_zero(tmp_path):
    shutil.copy(FIXTURES / "seeds/2024-06-01-osce-session.txt", tmp_path)
    result = run(tmp_path / "2024-06-01-osce-session.txt")
    assert result.returncode == 0
    assert json.loads(result.stdout)["organisations"][0]["name"] == "OSCE Parliamentary Assembly"
