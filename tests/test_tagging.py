from pathlib import Path

import pytest

from bulletin.seeds.seeds import read_seed
from bulletin.tagging import tag_text

REAL_SEED = next((Path(__file__).parent.parent / "seeds").glob("000_*.txt"))


def names(tags):
    return {kind: sorted(t.entity.name for t in found) for kind, found in tags.by_kind()}


def test_real_seed_is_tagged_exactly():
    tags = tag_text(read_seed(REAL_SEED).text)
    assert names(tags) == {
        "countries": ["Kazakhstan", "Türkiye"],
        "organisations": [
            "Congress of Leaders of World and Traditional Religions",
            "Grand National Assembly of Türkiye",
            "Inter-Parliamentary Union",
            "OSCE Parliamentary Assembly",
            "Parliament of Kazakhstan",
            "Parliamentary Assembly of Turkic States",
            "Senate of Kazakhstan",
        ],
        "people": ["Maulen Ashimbayev", "Numan Kurtulmuş"],
    }
    # The source credit ("…, Kazinform News Agency reports") is a passing mention.
    assert [t.entity.name for t in tags.mentioned] == ["Kazinform"]


def test_real_seed_codes_slugs_and_mentions():
    tags = tag_text(read_seed(REAL_SEED).text)
    countries = {t.entity.name: t for t in tags.countries}
    assert countries["Türkiye"].entity.code == "TR"
    assert countries["Türkiye"].entity.slug == "turkiye"
    assert {"Türkiye", "Turkiye", "Turkish"} <= set(countries["Türkiye"].mentions)
    assert "Kazakh" in countries["Kazakhstan"].mentions
    people = {t.entity.name: t for t in tags.people}
    assert people["Numan Kurtulmuş"].entity.slug == "numan-kurtulmus"
    orgs = {t.entity.name: t for t in tags.organisations}
    assert orgs["Senate of Kazakhstan"].entity.code == "KZ"


@pytest.mark.parametrize(
    "spelling", ["Türkiye", "Turkiye", "Turkey", "Turkish", "Republic of Türkiye"]
)
def test_spellings_of_turkiye_are_one_country(spelling):
    tags = tag_text(f"Officials from {spelling} arrived.")
    assert [(t.entity.name, t.entity.code) for t in tags.countries] == [("Türkiye", "TR")]


def test_each_entity_is_listed_once_with_all_its_mentions():
    tags = tag_text(
        "Kazakhstan and Türkiye met. The Kazakh side thanked Turkey. Kazakhstan agreed."
    )
    assert [(t.entity.name, t.count) for t in tags.countries] == [("Kazakhstan", 3), ("Türkiye", 2)]
    assert tags.countries[0].mentions == ("Kazakhstan", "Kazakh")


def test_surname_alone_joins_the_full_name():
    tags = tag_text("Speaker Numan Kurtulmuş arrived. Kurtulmuş said the talks went well.")
    assert [(t.entity.name, t.count, t.mentions) for t in tags.people] == [
        ("Numan Kurtulmuş", 2, ("Numan Kurtulmuş", "Kurtulmuş"))
    ]


def test_titles_are_stripped_and_bare_titles_are_not_people():
    tags = tag_text(
        "Chairman of the Senate of the Kazakh Parliament Maulen Ashimbayev spoke. The Speaker agreed."
    )
    assert [t.entity.name for t in tags.people] == ["Maulen Ashimbayev"]
    assert "Senate" not in [t.entity.name for t in tags.organisations]


def test_words_inside_other_words_do_not_match():
    tags = tag_text("Kurtulmuşoğlu met the Omanis in Chinatown and Indianapolis.")
    assert tags.countries == ()
