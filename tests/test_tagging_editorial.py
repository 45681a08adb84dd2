"""The editorial file and the Tagger: aliases, merges, renames, descriptions,
blocks; its version; and a real build that uses the file."""

import pickle

import pytest
from lxml import html

from bulletin.tagging import EditorialError, Tagger
from conftest import build_site

TEXT = (
    "Speaker Numan Kurtulmuş met TÜRK-PA delegates in Ankara with the Kazinform News Agency. "
    "Kurtulmuş praised the Assembly of Turkic Parliaments and Türkiye's partners."
)


def tagger(tmp_path, text: str) -> Tagger:
    path = tmp_path / "entities.yml"
    path.write_text(text, "utf-8")
    return Tagger(path)


def every(tags):
    return {
        t.entity.name: t
        for t in (*tags.countries, *tags.organisations, *tags.people, *tags.mentioned)
    }


def test_editor_adds_an_alias_merges_renames_describes_and_blocks(tmp_path):
    plain = every(Tagger().tag(TEXT))
    assert "Parliamentary Assembly of Turkic States" not in plain
    edited = tagger(
        tmp_path,
        """
organisations:
  Parliamentary Assembly of Turkic States:
    rename: TurkPA
    aliases: [TÜRK-PA, Assembly of Turkic Parliaments]
    description: Parliaments of the Turkic states.
  Kazinform:
    merge: [Kazinform News Agency]
block:
  organisations: [Kazinform]
  people: [Numan Kurtulmuş]
""",
    )
    found = every(edited.tag(TEXT))
    turkpa = found["TurkPA"]
    assert (turkpa.entity.slug, turkpa.count) == ("turkpa", 2)
    assert turkpa.entity.description == "Parliaments of the Turkic states."
    assert edited.description(turkpa.entity) == "Parliaments of the Turkic states."
    assert "Kazinform" not in found
    assert "Numan Kurtulmuş" not in found
    assert "Türkiye" in found


def test_people_aliases_and_merges(tmp_path):
    edited = tagger(
        tmp_path,
        "people:\n  Numan Kurtulmuş:\n    aliases: [N. Kurtulmus]\n",
    )
    tags = edited.tag("N. Kurtulmus arrived. Kurtulmus spoke.")
    assert [(t.entity.name, t.count) for t in tags.people] == [("Numan Kurtulmuş", 2)]


@pytest.mark.parametrize(
    "text",
    ["organisations: [a, b]", "countries:\n  Chad:\n    colour: red\n", "teams: {}", "a: [b"],
)
def test_a_bad_editorial_file_is_named_in_the_error(tmp_path, text):
    with pytest.raises(EditorialError, match="entities.yml"):
        tagger(tmp_path, text)


def test_version_follows_the_editorial_file_and_survives_pickling(tmp_path):
    first = tagger(tmp_path, "block:\n  people: [Someone Else]\n")
    again = pickle.loads(pickle.dumps(first))
    assert again.version == first.version
    assert again.tag(TEXT) == first.tag(TEXT)
    second = tagger(tmp_path, "block:\n  people: [Numan Kurtulmuş]\n")
    assert second.version != first.version
    assert Tagger(tmp_path / "missing.yml").version == Tagger().version


def test_the_build_applies_the_editorial_file(tmp_path):
    entities = tmp_path / "entities.yml"
    entities.write_text(
        "countries:\n  Türkiye:\n    rename: Republic of Türkiye\nblock:\n  organisations: [NATO]\n",
        "utf-8",
    )
    output = build_site(tmp_path, ENTITIES_FILE=str(entities))
    countries = html.parse(str(output / "countries" / "index.html")).getroot().text_content()
    assert "Republic of Türkiye" in countries
    assert (output / "country" / "republic-of-turkiye" / "rss.xml").is_file()
    assert not (output / "organisation" / "nato").exists()


def test_bulletin_tag_uses_the_editorial_file(tmp_path, capsys):
    import json

    from bulletin.cli import main

    seed = tmp_path / "seed.txt"
    seed.write_text("date 2024-05-20 Türkiye and NATO agreed on a plan.", "utf-8")
    entities = tmp_path / "entities.yml"
    entities.write_text("organisations:\n  NATO:\n    rename: North Atlantic Alliance\n", "utf-8")
    assert main(["tag", str(seed), "--entities", str(entities)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [o["name"] for o in record["organisations"]] == ["North Atlantic Alliance"]


def test_country_aliases_must_name_a_country(tmp_path):
    with pytest.raises(EditorialError, match="Atlantis"):
        tagger(tmp_path, "countries:\n  Atlantis:\n    aliases: [Atlantean]\n")
    edited = tagger(tmp_path, "countries:\n  Kazakhstan:\n    aliases: [Qazaqstan]\n")
    assert [t.entity.code for t in edited.tag("Qazaqstan held elections.").countries] == ["KZ"]


def test_a_merge_keeps_one_entity_with_its_country(tmp_path):
    text = (
        "The Senate of the Kazakh Parliament met. "
        "The Upper Chamber of Legislators Association agreed."
    )
    merge = "organisations:\n  Senate of Kazakhstan:\n    merge: [Upper Chamber of Legislators Association]\n"
    assert len(Tagger().tag(text).organisations) == 3
    tags = tagger(tmp_path, merge).tag(text)
    senates = [t for t in tags.organisations if t.entity.name == "Senate of Kazakhstan"]
    assert [(t.entity.code, t.count) for t in senates] == [("KZ", 2)]
    assert len(tags.organisations) == 2
