"""The tagger's rules for ambiguous names, organisations, people and salience."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin.tagging import tag_text
from conftest import tagged


def countries(text):
    return tagged(text, "countries")


def names(text, kind):
    return tagged(text, kind)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Georgia and Armenia signed a transit deal in Tbilisi.", ["AM", "GE"]),
        ("The storm hit Atlanta, Georgia, on Tuesday.", []),
        ("Voters in the U.S. state of Georgia went to the polls.", ["US"]),
        ("King Abdullah of Jordan met the delegation in Amman.", ["JO"]),
        ("Michael Jordan scored 40 points last night.", []),
        ("Chad Smith joined the band in 1988.", []),
        ("Chad and Niger closed their shared border.", ["NE", "TD"]),
        ("Nigeria raised oil output.", ["NG"]),
        ("Papua New Guinea held elections.", ["PG"]),
        ("Guinea exported more bauxite.", ["GN"]),
        ("Turkey prices rose before Thanksgiving, growers said.", []),
        ("Turkey and Greece held talks.", ["GR", "TR"]),
        ("Warships sailed through the South China Sea.", []),
        ("American Express raised its fees.", []),
        ("The cyclone crossed the Indian Ocean.", []),
        ("Santa Fe is the capital of New Mexico.", ["US"]),  # a US state, not Mexico
        ("The Soviet Union and West Germany signed a trade pact.", ["DE", "RU"]),
        ("Exports from Yugoslavia and Czechoslovakia fell.", ["CZ", "RS"]),
        ("U.S., UK and UAE officials met DRC ministers.", ["AE", "CD", "GB", "US"]),
        ("Emirati and Kazakhstani diplomats met.", ["AE", "KZ"]),
        ("Violence flared again in Northern Ireland.", ["GB"]),
        ("Dealers doubted the Paris accord would hold.", []),  # a pact, not France
        ("Dealers in Paris doubted the accord would hold.", ["FR"]),
    ],
)
def test_ambiguous_country_names(text, expected):
    assert countries(text) == expected


def test_capitals_are_weaker_evidence_than_names():
    tags = tag_text("Moscow said the talks would go on.\n\nRussia later confirmed it.")
    (russia,) = tags.countries
    assert russia.mentions == ("Moscow", "Russia")
    alone = tag_text("Officials said the talks went on.\n\nLater, Moscow said it agreed.")
    named = tag_text("Officials said the talks went on.\n\nLater, Russia said it agreed.")
    salience = {t.entity.code: t.salience for t in alone.countries + alone.mentioned}
    assert (
        salience["RU"]
        < {t.entity.code: t.salience for t in named.mentioned + named.countries}["RU"]
    )


def test_where_a_company_is_based_is_weaker_evidence_than_a_name():
    def salience(text):
        tags = tag_text(text)
        return {t.entity.code: t.salience for t in tags.countries + tags.mentioned}["JP"]

    domicile = salience("Orbis Inc bought a stake in Hanada Co Ltd of Japan, it said.")
    named = salience("Orbis Inc bought a stake in Hanada, the maker of Japan, it said.")
    assert domicile < named
    based = salience("Orbis Inc bought a stake in its Japan-based unit, it said.")
    assert based < salience("Orbis Inc bought a stake in its Japan unit, it said.")


def test_a_ticker_names_the_company_before_it_and_where_it_is_listed():
    text = (
        "Orbis Holdings Plc <ORBH.L> said it sold its stake in Pelham Corp <PLM> "
        "to <Hanada Trading Co>. ORBH shares rose."
    )
    tags = tag_text(text)
    orgs = {t.entity.name: t for t in tags.organisations + tags.mentioned}
    assert set(orgs) - {"Orbis Holdings Plc", "Pelham Corp"} == {"Hanada Trading Co"}
    assert orgs["Orbis Holdings Plc"].mentions == ("Orbis Holdings Plc", "ORBH")
    assert orgs["Pelham Corp"].mentions == ("Pelham Corp", "PLM")
    assert countries(text) == ["GB"]  # .L: listed in London; no suffix, no country
    (britain,) = tags.countries + tags.mentioned
    assert britain.mentions == ("ORBH.L",)


def test_names_in_angle_brackets_are_organisations_cut_at_the_brackets():
    text = (
        "Texas Air Corp <TEX> Continental Airlines said it would buy <Hillards Plc>. "
        "Brown Boveri et Cie <BBCZ.Z> and <Marlow Chadwick Ltd> agreed."
    )
    tags = tag_text(text)
    found = names(text, "organisations")
    assert {"Continental Airlines", "Hillards Plc", "Marlow Chadwick Ltd"} <= set(found)
    assert not [n for n in found if "<" in n or ">" in n or n == "Cie"]
    people = [t.entity.name for t in tags.people + tags.mentioned if t.entity.kind == "people"]
    assert not {"Hillards Plc", "Marlow Chadwick Ltd", "TEX"} & set(people)


def test_central_banks_indices_and_marks_are_weak_evidence_of_their_country():
    assert countries("The Bundesbank left its rates unchanged, dealers said.") == ["DE"]
    assert countries("The state raised 1.2 billion marks through a bond.") == ["DE"]
    assert countries("Her remarks marks a shift, the Nikkei said.") == ["JP"]
    bank = tag_text("Traders agreed.\n\nThey said so.\n\nThe Bundesbank said so.")
    named = tag_text("Traders agreed.\n\nThey said so.\n\nThe Germans said so.")
    salience = {t.entity.code: t.salience for t in named.countries + named.mentioned}
    found = {t.entity.kind: t for t in bank.countries + bank.organisations + bank.mentioned}
    assert found["countries"].salience < salience["DE"]
    bundesbank = found["organisations"].entity
    assert (bundesbank.name, bundesbank.code) == ("Bundesbank", "DE")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Major League Baseball owners met on Tuesday.", ["Major League Baseball"]),
        ("General Motors Corp raised its prices.", ["General Motors Corp"]),
    ],
)
def test_organisation_names_keep_words_that_are_also_titles(text, expected):
    assert names(text, "organisations") == expected


def test_a_time_zone_is_not_an_organisation():
    assert names("The talks will begin at 1400 GMT, officials said.", "organisations") == []


def test_a_title_naming_an_office_is_not_an_organisation():
    text = "Secretary of State Antony Blinken said the alliance would stay united."
    assert names(text, "organisations") == []
    assert names(text, "people") == ["Antony Blinken"]
    assert names("The State Department said so.", "organisations") == ["State Department"]


def test_an_organisation_named_once_late_is_a_passing_mention():
    text = (
        "The Arcadia Mining Association raised its copper output target on Monday.\n\n"
        "The Arcadia Mining Association expects prices to hold.\n\n"
        "Output rose in all regions.\n\nTraders noted similar moves elsewhere.\n\n"
        "Exporters also watched the International Monetary Fund."
    )
    tags = tag_text(text)
    assert [t.entity.name for t in tags.organisations] == ["Arcadia Mining Association"]
    assert "International Monetary Fund" in [t.entity.name for t in tags.mentioned]


def test_every_organisation_of_a_text_naming_many_is_a_tag():
    text = (
        "Delegates of the World Bank, the OECD and the African Union met on Monday.\n\n"
        "They agreed to meet again.\n\nThe talks went on.\n\nTraders were calm.\n\n"
        "Later the IMF, NATO and the WTO sent observers."
    )
    tags = tag_text(text)
    assert len(tags.organisations) == 6
    assert not [t for t in tags.mentioned if t.entity.kind == "organisations"]


def test_companies_do_not_make_a_text_about_institutions():
    text = (
        "Shares of Orbis Inc, Hanada Co Ltd, Pelham Corp, Arcadia Mining Corp, Kestrel Holdings Inc "
        "and Marlow Bank Ltd "
        "rose on Monday.\n\nOrbis Inc led the gains.\n\nTrade was thin.\n\n"
        "Dealers were calm.\n\nSome dealers also watched the IMF."
    )
    tags = tag_text(text)
    assert "International Monetary Fund" in [t.entity.name for t in tags.mentioned]


def test_a_passing_mention_is_not_a_tag():
    text = (
        "Kazakhstan raised its wheat export quota on Monday, the Kazakh ministry said.\n\n"
        "Kazakhstan expects a record harvest.\n\n"
        "Prices were steady.\n\nTraders noted similar moves elsewhere.\n\n"
        "Buyers in Egypt were cautious."
    )
    tags = tag_text(text)
    assert [t.entity.name for t in tags.countries] == ["Kazakhstan"]
    assert "Egypt" in [t.entity.name for t in tags.mentioned]
    assert tags.countries[0].salience > tags.mentioned[0].salience


def test_acronym_defined_in_the_text_joins_its_long_form():
    text = (
        "Leaders of the Federation of Baltic Fisheries (FBF) met on Monday. "
        "The FBF agreed new quotas."
    )
    tags = tag_text(text)
    orgs = {t.entity.name: t for t in tags.organisations + tags.mentioned}
    assert "FBF" not in orgs
    assert orgs["Federation of Baltic Fisheries"].mentions == (
        "Federation of Baltic Fisheries",
        "FBF",
    )


def test_a_long_form_whose_acronym_is_listed_is_the_listed_body():
    text = (
        "World trade will slow this year, a report said.\n\n"
        "The Organisation for Economic Development and Cooperation (OECD) said growth "
        "would slow. The OECD said trade would rise."
    )
    assert names(text, "organisations") == ["OECD"]


def test_british_and_american_spellings_are_one_organisation():
    for spelling in ("Organization", "Organisation"):
        text = f"Members of the {spelling} of Petroleum Exporting Countries met on Monday."
        assert names(text, "organisations") == ["OPEC"]


def test_gazetteer_acronyms_and_aliases_are_one_organisation():
    text = "The International Monetary Fund and the IMF's board met. OSCE PA and the OSCE spoke."
    found = names(text, "organisations")
    assert found == [
        "International Monetary Fund",
        "OSCE Parliamentary Assembly",
        "Organization for Security and Co-operation in Europe",
    ]


def test_institutions_are_linked_to_their_country():
    tags = tag_text("The Senate of the Kazakh Parliament approved the bill.")
    codes = {t.entity.name: t.entity.code for t in tags.organisations}
    assert codes == {"Senate of Kazakhstan": "KZ", "Parliament of Kazakhstan": "KZ"}


def test_a_competition_is_not_an_organisation():
    assert names("Greg Norman leads the PGA Tour money list.", "organisations") == []


@pytest.mark.parametrize(
    "text",
    [
        "On 9-12 August, Uzbekistan will host the First Regional Forum of Labor Inspectors.",
        "Delegates of the II Congress of Compatriots met in Almaty.",
    ],
)
def test_a_gathering_numbered_by_an_ordinal_is_no_organisation(text):
    found = tag_text(text)
    assert [
        t.entity.name
        for t in found.organisations + found.mentioned
        if t.entity.kind == "organisations"
    ] == []


def test_a_body_named_first_is_still_one():
    assert names("First Boston Corp advised the company.", "organisations") == ["First Boston Corp"]


def test_organisations_lose_the_and_possessives():
    tags = tag_text(
        "Shares of the Pinewood Mining Corporation rose. Pinewood Mining Corporation's chief said so."
    )
    found = [t for t in tags.organisations + tags.mentioned if t.entity.kind == "organisations"]
    assert [t.entity.name for t in found] == ["Pinewood Mining Corporation"]


def test_people_keep_diacritics_with_ascii_slugs_and_lose_titles():
    tags = tag_text(
        "President Recep Tayyip Erdoğan met Prime Minister Kristalina Ivanova in Ankara."
    )
    people = {t.entity.name: t.entity.slug for t in tags.people}
    assert people["Recep Tayyip Erdoğan"] == "recep-tayyip-erdogan"
    assert all(not name.startswith(("President", "Prime")) for name in people)


def test_a_surname_alone_is_never_a_tag_of_its_own():
    tags = tag_text("Smith said the market was calm.")
    assert tags.people == ()


def test_people_listed_with_their_country_are_people():
    tags = tag_text("1. Falilat Ogunkoya (Nigeria) 50.31 seconds")
    assert "Falilat Ogunkoya" in [t.entity.name for t in tags.people]
    assert not [t for t in tags.organisations + tags.mentioned if t.entity.kind == "organisations"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Georgia",
                "U.S.",
                "(",
                ")",
                "Ms",
                "Numan Kurtulmuş",
                "the",
                "EU",
                "-",
                "\n\n",
                "'s",
                ".",
            ]
        )
        | st.text(max_size=12),
        max_size=12,
    )
)
def test_any_text_is_tagged_with_mentions_taken_from_it(words):
    text = " ".join(words)
    tags = tag_text(text)
    for _, found in tags.by_kind():
        for tag in found + tags.mentioned:
            assert all(mention in text for mention in tag.mentions)
            assert tag.count >= len(tag.mentions)
