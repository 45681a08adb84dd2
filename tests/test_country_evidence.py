"""Country evidence: currencies, eurobonds, surnames and names that are something else."""

import functools

import pytest

from bulletin.tagging import tag_text
from bulletin.tagging.countries import WEIGHTS, find_countries
from bulletin.tagging.tagger import Tagger
from conftest import tagged


def countries(text):
    return tagged(text, "countries")


@functools.cache
def _matcher():
    return Tagger()._matcher("countries")


def evidence(text):
    """(surface, code, weight) of each country mention, before people are dropped."""
    return [(m.surface, m.value[0].code, m.value[1]) for m in find_countries(text, _matcher())]


def test_a_currency_written_with_its_country_is_a_currency():
    currency = WEIGHTS["currencies"]
    assert evidence("Sales rose to 2.9 mln Canadian dlrs.") == [("Canadian", "CA", currency)]
    assert evidence("It paid 300 mln Danish crowns.") == [("Danish", "DK", currency)]
    assert evidence("The Hong Kong dollar held firm.") == [("Hong Kong", "HK", currency)]
    # Once, not twice: "Japanese yen" is one mention of the yen.
    assert evidence("The Japanese yen rose.") == [("Japanese", "JP", currency)]
    assert evidence("The Turkish lira fell.") == [("Turkish lira", "TR", currency)]
    assert evidence("Canadian wheat exports rose.") == [("Canadian", "CA", 1.0)]


def test_the_currency_of_a_eurobond_is_not_where_the_story_is():
    issue = (
        "Union Bank of Finland is issuing a 10 billion yen eurobond due 1992, lead "
        "manager Nomura International Ltd said. The bonds are available in "
        "denominations of one mln yen."
    )
    assert countries(issue) == ["FI"]
    assert countries("Bacob Finance NV is issuing a 50 mln Australian dlr eurobond.") == []
    austria = (
        "The Australian dollar eurobond launched yesterday for the Republic of Austria "
        "has been increased to 75 mln dlrs."
    )
    assert countries(austria) == ["AT"]
    # The currency of a company's own borrowing, profits or prices still counts.
    assert countries("Rowntree Mackintosh Plc is seeking a 200 mln stg facility.") == ["GB"]
    assert countries("Toyota expects profits to rise to 300 billion yen.") == ["JP"]
    # And the country's name counts even when its currency is left out.
    assert countries("Japan's Nissan is issuing a 35 billion yen eurobond.") == ["JP"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "E.F. Hutton Group Inc said it named Jerry Welsh to the new post. Welsh was "
            "previously vice president of marketing.",
            [],
        ),
        ("The bill introduced by Rep. Glenn English was scaled back.", []),
        ("David Holland, president of the division, said sales rose.", []),
        ("The Welsh Development Agency opened an office.", ["GB"]),
        ("English and Welsh farmers protested.", ["GB"]),
        ("Holland and Belgium agreed.", ["BE", "NL"]),
        ("It bought Colonial Bancorp of New Holland, Pa.", []),
        ("First Jersey Securities withdrew as underwriter.", []),
        ("Jersey Central Power and Light Co cut its rates.", []),
        ("The money was paid to a company in Jersey.", ["JE"]),
        ("Trust Co banks in Georgia and Florida raised their prime rate.", ["US"]),
        ("Georgia and Armenia signed a transit deal.", ["AM", "GE"]),
        ("Ministers reviewed the Uruguay round of trade talks.", []),
        ("Uruguay raised its wheat exports.", ["UY"]),
        ("The Doha Round of trade talks stalled.", []),
        ("Credit Suisse First Boston Ltd said as lead manager.", []),
        ("First Boston Corp of New York bought the stake.", ["US"]),
        ("Hongkong and Shanghai Banking Corp raised its prime rate.", ["HK"]),
        ("Shanghai port handled more containers.", ["CN"]),
        ("Underwriters Rosenkrantz Lyon and Ross Inc sold the units.", []),
    ],
)
def test_names_that_are_something_else(text, expected):
    assert countries(text) == expected


def test_a_name_dropped_as_a_single_word_person_stays_elsewhere():
    # The name recogniser may read a lone "Chad" as a person: that is no surname.
    text = (
        "Libyan troops are evacuating their last stronghold in northern Chad, leaving "
        "it undefended against advancing Chad government troops."
    )
    assert countries(text) == ["LY", "TD"]


def test_a_currency_that_is_also_a_verb_needs_an_amount():
    currency = WEIGHTS["currencies"]
    assert evidence("It raised 300 mln Danish crowns.") == [("Danish", "DK", currency)]
    assert evidence("Prices in West German marks fell.") == [("West German", "DE", currency)]
    assert evidence("Kazakhstan marks Constitution Day.") == [("Kazakhstan", "KZ", 1.0)]
    assert evidence("The British won the match.") == [("British", "GB", 1.0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The hryvnia fell two pct against the dollar.", ["UA"]),
        ("The loan of 500 mln naira was repaid.", ["NG"]),
        ("Prices are quoted in forints.", ["HU"]),
        # Lira alone is Turkish or (until 2002) Italian: no country.
        ("The central bank set a lira/dollar rate of 780.", []),
        ("It paid 1,500 billion lire.", ["IT"]),
        ("The Turkish lira and the Italian lira fell.", ["IT", "TR"]),
    ],
)
def test_currencies_of_one_country(text, expected):
    assert countries(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("An investment firm in Naples, Fla., was shut down.", []),
        ("It sold its Whitehall, Pa., office.", []),
        ("An investor from Birmingham, Alabama, raised his stake.", ["US"]),
        ("The store is in Berlin, N.J.", []),
        ("The plant in London, Ontario, closed.", ["CA"]),
        # A city of the same country, or a list of cities, is still the city.
        ("The plant in Calgary, Alberta, closed.", ["CA"]),
        ("It has offices in London, New York and Tokyo.", ["GB", "JP", "US"]),
        ("Officials in Tbilisi, Georgia, said so.", ["GE"]),
    ],
)
def test_a_city_written_with_a_us_state_or_canadian_province_is_a_namesake(text, expected):
    assert countries(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rig use in the Gulf of Mexico fell 0.7 pct.", []),
        ("Mexico raised oil output.", ["MX"]),
        ("Tankers were attacked in the Gulf of Oman.", []),
        ("Cyprus Minerals Co cut its copper price.", []),
        ("Cyprus and Greece agreed.", ["CY", "GR"]),
        ("Its staff urged the governor of Georgia to veto a bill.", []),
    ],
)
def test_seas_and_companies_named_after_countries(text, expected):
    assert countries(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Qazaqstan and the Kyrgyz Republic signed a border treaty.", ["KG", "KZ"]),
        ("The President visited Turkistan and Shymkent.", ["KZ"]),
        ("Karakalpakstan is a region; Xinjiang is far away.", ["CN", "UZ"]),
        # a city written with "St." in full
        ("St. Petersburg police arrested dozens of people on Friday.", ["RU"]),
        (
            "Officials from Kazakhstan, Georgia and Azerbaijan discussed transit.",
            ["AZ", "GE", "KZ"],
        ),
    ],
)
def test_the_regions_places_and_spellings(text, expected):
    assert countries(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Five men from Bokhtar were detained, their relatives said.",
        "The forum opened in Cholpon-Ata on Monday.",
        "A cement plant opened in Turkmenabat and another in Margilan.",
        "Officials in Tomsk said the checks would go on.",
    ],
)
def test_a_town_of_the_region_is_a_place_but_names_no_country(text):
    assert countries(text) == []
    assert tagged(text, "organisations") == []
    assert tagged(text, "people") == []


def test_a_town_does_not_make_its_countrys_city_more_than_a_passing_mention():
    tags = tag_text("Migrants from Tajikistan were detained in Tomsk and Novosibirsk.")
    assert [t.entity.code for t in tags.countries] == ["TJ"]
    assert [(t.entity.code, t.mentions) for t in tags.mentioned] == [("RU", ("Novosibirsk",))]


def test_a_body_named_after_a_town_is_its_countrys():
    tags = tag_text("The Tomsk Migration Department said the checks would go on.")
    assert [(t.entity.name, t.entity.code) for t in tags.organisations] == [
        ("Tomsk Migration Department", "RU")
    ]
    assert tags.countries == tags.mentioned == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Many Welsh farmers protested.", ["GB"]),
        ("Olympique Lyon lost. The mayor of Lyon said so.", ["FR"]),
        ("Police in East Turkistan detained activists.", []),
    ],
)
def test_demonyms_and_places_that_look_like_something_else(text, expected):
    assert countries(text) == expected


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Kazakhstan and China mark 30 years of ties.", "China"),
        ("The Danish crown prince visited.", "Danish"),
    ],
)
def test_a_verb_or_noun_after_a_country_is_no_currency(text, surface):
    assert (surface, 1.0) in [(s, w) for s, _, w in evidence(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "RF", the Russian Federation as its officials abbreviate it, as a word of its own
        ("Over a million of them now work in the RF.", ["RU"]),
        ("RF citizens may enter without a visa.", ["RU"]),
        ("Quotas were set by the RF Government in May.", ["RU"]),
        # part of an address, a handle or a longer token; radio frequency
        ("The rules were posted on the channel “Explainit.RF” on Friday.", []),
        ("Apply online at gosuslugi.RF/visa by March.", []),
        ("Ask @RF_news or see #RF for details.", []),
        ("The plant makes RF microwave components for radar makers.", []),
    ],
)
def test_rf_is_russia_as_a_word_of_its_own(text, expected):
    assert countries(text) == expected


def test_a_body_named_after_rf_is_russias():
    text = "The RF Ministry of Internal Affairs reported a rise in applications."
    found = [(t.entity.name, t.entity.code, t.mentions) for t in tag_text(text).organisations]
    assert found == [
        (
            "Ministry of Internal Affairs of the Russian Federation",
            "RU",
            ("RF Ministry of Internal Affairs",),
        )
    ]
