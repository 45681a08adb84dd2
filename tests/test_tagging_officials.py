"""How news names officials and national bodies: "President of Kazakhstan
Kassym-Jomart Tokayev", "Minister of National Economy Nurlan Baibazarov", "the
Mazhilis of the Parliament of Kazakhstan"; the recogniser alone gets these wrong."""

import pytest

from bulletin.tagging import tag_text
from conftest import tagged


def names(text, kind):
    return tagged(text, kind)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        (
            "President of Kazakhstan Kassym-Jomart Tokayev held a phone call.",
            "Kassym-Jomart Tokayev",
        ),
        ("Foreign Minister of Kazakhstan Murat Nurtleu met the envoy in Astana.", "Murat Nurtleu"),
        (
            "Minister of Foreign Affairs of Kazakhstan Murat Nurtleu met the envoy.",
            "Murat Nurtleu",
        ),
        (
            "Deputy Prime Minister – Minister of National Economy Nurlan Baibazarov presented it.",
            "Nurlan Baibazarov",
        ),
        (
            "Minister of Trade and Integration Arman Shakkaliyev opened the fair.",
            "Arman Shakkaliyev",
        ),
        (
            "Minister of Energy Almas Satkali presented the document to the deputies.",
            "Almas Satkali",
        ),
        (
            "The Head of State Kassym-Jomart Tokayev received the delegation.",
            "Kassym-Jomart Tokayev",
        ),
        (
            "Ambassador Extraordinary and Plenipotentiary of Kazakhstan to Türkiye Yerkin"
            " Tokumov presented his credentials.",
            "Yerkin Tokumov",
        ),
        (
            "He met Chairman of the Board of Samruk-Kazyna Nurlan Zhakupov on Monday.",
            "Nurlan Zhakupov",
        ),
    ],
)
def test_a_name_after_a_title_and_what_it_is_of_is_a_person(text, person):
    assert person in names(text, "people")
    surname = person.split()[-1]
    assert not [name for name in names(text, "organisations") if surname in name]


def test_a_body_a_title_ran_into_keeps_its_name():
    text = "Chairman of Jusan Bank Galimzhan Yessenov spoke."
    assert names(text, "people") == ["Galimzhan Yessenov"]
    assert names(text, "organisations") == ["Jusan Bank"]


@pytest.mark.parametrize(
    "text",
    [
        "The Heads of State discussed the agenda. Cooperation among Turkic-speaking countries grows.",
        "India was represented by External Affairs Minister Subrahmanyam Jaishankar.",
        "The Future Growth Project at Tengiz will raise output.",
        "Tokayev signed a decree appointing Yerzhan Kazykhan as Presidential Aide for International Affairs.",
        "Senators addressed the joint session of the Chambers.",
        "In his address, the Head of State focused on economic reforms, the development of"
        " artificial intelligence and the construction of the first nuclear power plant.",
    ],
)
def test_offices_adjectives_and_projects_are_not_organisations(text):
    assert names(text, "organisations") == []


def test_a_house_of_a_countrys_parliament_is_an_institution_of_the_country():
    text = "The Mazhilis of the Parliament of Kazakhstan adopted the law."
    assert names(text, "organisations") == ["Mazhilis of Kazakhstan", "Parliament of Kazakhstan"]


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "Kazakhstan's Foreign Ministry summoned the envoy.",
            "Ministry of Foreign Affairs of Kazakhstan",
        ),
        ("The Kazakh Majilis passed the bill.", "Mazhilis of Kazakhstan"),
        ("The Turkic Parliamentary Assembly met.", "Parliamentary Assembly of Turkic States"),
        (
            "The Conference on Interaction and Confidence Building Measures in Asia met.",
            "Conference on Interaction and Confidence-Building Measures in Asia",
        ),
        ("The EEU summit opened.", "Eurasian Economic Union"),
        (
            "A delegation of the Parliamentary Assembly of the Organization for Security and"
            " Co-operation in Europe visited Almaty.",
            "OSCE Parliamentary Assembly",
        ),
    ],
)
def test_bodies_by_their_other_names(text, body):
    assert names(text, "organisations") == [body]


def test_a_body_named_after_its_country_is_not_a_person():
    text = "Tajikistan Temir Roh and China Railway will increase traffic."
    assert names(text, "people") == []
    assert names(text, "organisations") == ["China Railway", "Tajikistan Temir Roh"]


def test_a_news_agency_in_capitals_is_the_agency():
    text = "ASTANA. KAZINFORM – Kazinform News Agency reports that the delegation arrived."
    assert names(text, "organisations") == ["Kazinform"]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("They met Ursula von der Leyen in Brussels.", "Ursula von der Leyen"),
        ("Crown Prince Mohammed bin Salman met them.", "Mohammed bin Salman"),
        (
            "The Security Council met under the chairmanship of Kassym-Jomart Tokayev.",
            "Kassym-Jomart Tokayev",
        ),
        (
            "Chairman of the Agency for Regulation and Development of the Financial Market"
            " Madina Abylkassymova spoke.",
            "Madina Abylkassymova",
        ),
        (
            "Kazakhstan's Permanent Representative to the UN Kairat Umarov spoke.",
            "Kairat Umarov",
        ),
    ],
)
def test_names_the_recogniser_cuts_short_or_takes_for_bodies(text, person):
    assert person in names(text, "people")
    assert not [name for name in names(text, "organisations") if person in name]


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("The British Parliament voted.", "Parliament of the United Kingdom"),
        ("The Dutch Government resigned.", "Government of the Netherlands"),
        ("The Kazakh Senate met.", "Senate of Kazakhstan"),
    ],
)
def test_institutions_are_named_as_people_write_them(text, body):
    assert names(text, "organisations") == [body]


def test_national_companies_are_linked_to_their_country():
    tags = tag_text("Representatives of KazMunayGas and Air Astana attended the forum.")
    found = {t.entity.name: t.entity.code for t in tags.organisations + tags.mentioned}
    assert found == {"KazMunayGas": "KZ", "Air Astana": "KZ"}


def test_a_kind_of_body_alone_is_neither_a_body_nor_a_person():
    text = "Senators and deputies of the Mazhilis voted for the law. The Speaker of the Mazhilis thanked them."
    assert names(text, "people") == names(text, "organisations") == []


def test_offices_of_a_country():
    text = "The Prosecutor General's Office of Kazakhstan opened a case."
    assert names(text, "organisations") == ["Prosecutor General's Office of Kazakhstan"]


@pytest.mark.parametrize(
    ("text", "bodies", "people"),
    [
        (
            "Director of Kazakhstan Railways Nurlan Sauranbayev said.",
            ["Kazakhstan Railways"],
            ["Nurlan Sauranbayev"],
        ),
        (
            "Chairman of Kazakhstan Stock Exchange Alina Aldambergen said.",
            ["Kazakhstan Stock Exchange"],
            ["Alina Aldambergen"],
        ),
        (
            "The Ministry of Energy Press Service reported.",
            ["Ministry of Energy Press Service"],
            [],
        ),
        ("Shares of Radio Kiev fell.", ["Radio Kiev"], []),
        (
            "Chairman of the Senate Foreign Relations Committee Bob Menendez said so.",
            ["Senate Foreign Relations Committee"],
            ["Bob Menendez"],
        ),
        ("President Putin de facto controls the region.", [], []),
        ("He met the President of Kazakhstan On Monday.", [], []),
        (
            "Secretary of the National Security Council John Kirby said.",
            ["National Security Council"],
            ["John Kirby"],
        ),
        ("The Labour Party Secretary General said.", ["Labour Party"], []),
        ("The Chevron-led consortium invested.", ["Chevron"], []),
    ],
)
def test_titles_and_names_that_are_something_else(text, bodies, people):
    assert names(text, "organisations") == bodies
    assert [name for name in names(text, "people") if " " in name] == people
