"""People in the region's news, by the grammar of names (names.py, people.py,
data/names.yml): surnames and patronymic words, titles with their portfolios,
honorifics, and the places, laws and companies that look like names. The
sentences are made up for these tests."""

import pytest

from bulletin.tagging import tag_text
from conftest import tagged


def tags(text):
    return sorted(t.entity.name for t in tag_text(text).people)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        # a given name and a surname with one of the region's endings (the
        # recogniser misses these or keeps only the surname)
        ("Nurbek Almazbekov thanked the delegation for the visit.", "Nurbek Almazbekov"),
        ("Ainura Kasymova welcomed the guests.", "Ainura Kasymova"),
        ("Daniyar Ermekov and Aizhan Omarova attended.", "Daniyar Ermekov"),
        ("City police chief Gennady Lapshin said raids would continue.", "Gennady Lapshin"),
        ("Ruslan Karimzoda, a lawyer, said the fee is too high.", "Ruslan Karimzoda"),
        ("The head of the Society of Tajik Culture, Zarina Boboeva.", "Zarina Boboeva"),
        # a Russian patronymic between them (the person is named without it)
        ("Askar Serikovich Temirbayev signed the order.", "Askar Temirbayev"),
        # a patronymic word after the name
        ("«We will open an office,» Nurlan Asanbek uulu noted.", "Nurlan Asanbek uulu"),
        ("Aizada Temir kyzy won the award.", "Aizada Temir kyzy"),
    ],
)
def test_a_name_is_known_by_its_shape(text, person):
    assert person in tagged(text, "people")
    assert not [name for name in tagged(text, "people") if name != person and name in person]


def test_a_russian_patronymic_is_no_part_of_the_persons_name():
    text = (
        "President Askar Serikovich Temirbayev signed the decree. Askar Temirbayev said"
        " the law would help. Nadezhda Ivanovna Orlova agreed."
    )
    people = [(t.entity.name, t.mentions) for t in tag_text(text).people]
    assert sorted(people) == [
        ("Askar Temirbayev", ("Askar Serikovich Temirbayev", "Askar Temirbayev")),
        ("Nadezhda Orlova", ("Nadezhda Ivanovna Orlova",)),
    ]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        (
            "Kazakhstan's Minister of Water Resources and Irrigation Yerbol Nurpeisov said"
            " the canals would be repaired.",
            "Yerbol Nurpeisov",
        ),
        (
            "This was stated by the Deputy Minister of Labor, Migration and Employment of"
            " the Population of Tajikistan Malika Nazari. The meeting went on.",
            "Malika Nazari",
        ),
        (
            "The Ministers of Foreign Affairs of Tajikistan and the Russian Federation"
            " Farrukh Sharipov and Igor Belov met in Almaty.",
            "Farrukh Sharipov",
        ),
        (
            "He discussed it with the Chairman of the Cabinet of Ministers Temir Japarbek.",
            "Temir Japarbek",
        ),
    ],
)
def test_a_name_after_a_title_with_listed_portfolios_or_a_plural_title(text, person):
    assert person in tagged(text, "people")
    assert not [name for name in tagged(text, "people") if name != person and person in name]


def test_a_surname_rule_stops_at_titles_and_bodies():
    text = (
        "Chairman of the Agency for Regulation of the Financial Market Dana Serikbayeva"
        " spoke. Moscow Mayor Pavel Sobolev agreed. Students of Nazarbayev University"
        " protested."
    )
    assert tagged(text, "people") == ["Dana Serikbayeva", "Pavel Sobolev"]


def test_honorifics_are_dropped_like_titles():
    text = (
        "The President of the Republic of Tajikistan, Honorable Emomali Rahmon, received"
        " the delegation. His Excellency Emomali Rahmon thanked them."
    )
    assert tagged(text, "people") == ["Emomali Rahmon"]


@pytest.mark.parametrize(
    "text",
    [
        "Water will be released from the Karakum reservoir in spring.",
        "Trucks queued for days at the Kordai crossing.",
        "A second track on the Dostyk–Moyinty line opens in June.",
        "Shelling hit the Zaporozhye and Kherson regions again.",
        "Under Russia's Citizenship Law, a new citizen must register for service.",
        "The deal was signed between Kazakh Energo and a German firm.",
        "Follow our official Instagram and Telegram pages.",
        "He made the proposal in an interview with Parlamentskaya Gazeta on Monday.",
        "The decree names the Lugansk People's Republic and two regions.",
        "Some experts believe that Africans could compete with unskilled workers from Asia.",
    ],
)
def test_places_laws_companies_and_platforms_are_not_people(text):
    assert tagged(text, "people") == []


def test_a_person_named_by_one_word_twice_is_a_tag_once_a_mention():
    twice = "Deputy Minister Nodira emphasized the ties. Later, Nodira noted the legal basis."
    assert tags(twice) == ["Nodira"]
    once = "Deputy Minister Nodira emphasized the ties with the ministry."
    assert tags(once) == []
    assert tagged(once, "people") == ["Nodira"]


def test_word_lists_keep_words_yaml_would_read_as_booleans():
    from bulletin.tagging.wordlists import wordlist

    assert {"On", "No"} <= wordlist("common_words") | wordlist("sentence_abbreviations")
    assert "Honorable" in wordlist("honorifics")


@pytest.mark.parametrize(
    ("text", "person", "mentions"),
    [
        # official and diplomatic texts write surnames in capitals; the person's name
        # is written as names are (its slug is the same either way)
        (
            "The article was written by Ambassador Oleg BOLOTNIKOV for the anniversary.",
            "Oleg Bolotnikov",
            ("Oleg BOLOTNIKOV",),
        ),
        (
            "Timur-Ali SARSENBAYEV chaired the session. SARSENBAYEV thanked the guests,"
            " and Sarsenbayev closed it.",
            "Timur-Ali Sarsenbayev",
            ("Timur-Ali SARSENBAYEV", "SARSENBAYEV", "Sarsenbayev"),
        ),
        (
            "According to Dilnoza YUSUPOVA, the quota will grow.",
            "Dilnoza Yusupova",
            ("Dilnoza YUSUPOVA",),
        ),
    ],
)
def test_a_surname_in_capitals_after_a_given_name(text, person, mentions):
    found = [
        t for t in tag_text(text).people + tag_text(text).mentioned if t.entity.kind == "people"
    ]
    assert [(t.entity.name, t.entity.slug, t.mentions) for t in found] == [
        (person, person.lower().replace(" ", "-"), mentions)
    ]
    assert tagged(text, "organisations") == []


def test_a_name_all_in_capitals_keeps_its_case_and_no_headline_is_a_name():
    # A headline's words before a surname are no given names; numerals stay numerals.
    headline = "Economy grows.\n\nTALKS WITH KAZAKH PRESIDENT NAZARBAYEV."
    assert not [name for name in tagged(headline, "people") if " " in name]
    assert tagged("King Charles III met the delegation.", "people") == ["Charles III"]
    assert tagged("King Henry VIII met the delegation.", "people") == ["Henry VIII"]


def test_a_paragraph_break_inside_a_title_leaves_country_and_name_apart():
    # A text broken into paragraphs mid-sentence: the country after the break is
    # no part of a body named with the name that follows.
    text = (
        "An article by Ambassador of the Russian Federation to\n\n"
        "Turkmenistan Oleg BOLOTNIKOV:\n\nThe day is marked every year."
    )
    assert tagged(text, "organisations") == []
    assert tagged(text, "people") == ["Oleg Bolotnikov"]
    assert "TM" in tagged(text, "countries")


@pytest.mark.parametrize(
    ("text", "person"),
    [
        # a surname alone the recogniser takes for a body: next to a verb of saying
        (
            "“We closed a loophole,” stated Bastrykin. “The law is clear.” Bastrykin"
            " added that checks would go on.",
            "Bastrykin",
        ),
        ("Terror threats remain under control, Syromolotov stressed.", "Syromolotov"),
        # after a role in lower case
        ("According to lawyer Makhmudov, the fee is illegal.", "Makhmudov"),
    ],
)
def test_a_surname_taken_for_a_body_by_a_verb_of_saying_or_a_role(text, person):
    assert person in tagged(text, "people")
    assert person not in tagged(text, "organisations")


@pytest.mark.parametrize(
    "text",
    [
        # no surname's ending
        "“Prices will fall,” stated Qazaqgaz on Monday.",
        "“Prices will fall,” stated Temirbank on Monday.",
        # too short to tell a surname's ending from a company's name
        "Quarterly sales rose 12 pct, Olin said.",
        # the text names a body by it
        "Tolkinov Corp named a new president. He will retire in June, Tolkinov said.",
        # a name joined by a hyphen
        "The chairman of Austria's Landesbank-Bankverein, said there was some truth to the charge.",
        # the text names people working there
        "Experts at Kaspersky found a new virus. Attacks will grow, Kaspersky said.",
        "Kaspersky analysts found a new virus. Attacks will grow, Kaspersky said.",
    ],
)
def test_a_body_next_to_a_verb_of_saying_stays_a_body(text):
    assert tagged(text, "people") == []
    assert tagged(text, "organisations") != []


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Ivan VOLYNKIN", "Ivan Volynkin"),
        ("Kassym-Jomart TOKAYEV", "Kassym-Jomart Tokayev"),
        ("Sean O'CONNOR", "Sean O'Connor"),
        ("Anna-Maria SCHMIDT-WEBER", "Anna-Maria Schmidt-Weber"),
        # three letters: an acronym as often as a name; a Roman numeral; a headline
        ("Holdings PLC", "Holdings PLC"),
        ("Henry VIII", "Henry VIII"),
        ("NURLAN NIGMATULIN", "NURLAN NIGMATULIN"),
        # only the surname: "TOKAYEV Kassym-Jomart" is no given name then a surname
        ("TOKAYEV Kassym-Jomart", "TOKAYEV Kassym-Jomart"),
    ],
)
def test_how_a_name_with_a_surname_in_capitals_is_written(name, written):
    from bulletin.tagging.people import _recased

    assert _recased(name) == written


@pytest.mark.parametrize(
    ("text", "person", "mentions"),
    [
        # the recogniser misses the surname in front (names.regional_names finds it)
        (
            "The head of the department VOLYNKIN Ivan Ivanovich met the delegation."
            " VOLYNKIN said the talks went well.",
            "Ivan Volynkin",
            ("VOLYNKIN Ivan Ivanovich", "VOLYNKIN"),
        ),
        (
            "The report was signed by SMIRNOVA Anna Sergeevna, head of the office.",
            "Anna Smirnova",
            ("SMIRNOVA Anna Sergeevna",),
        ),
    ],
)
def test_a_surname_first_in_capitals_before_given_name_and_patronymic(text, person, mentions):
    # Russian official style: the person is named as names are written, with the
    # slug of "Ivan VOLYNKIN"; a surname alone in capitals joins them.
    found = [
        t for t in tag_text(text).people + tag_text(text).mentioned if t.entity.kind == "people"
    ]
    assert [(t.entity.name, t.entity.slug, t.mentions) for t in found] == [
        (person, person.lower().replace(" ", "-"), mentions)
    ]


def test_a_city_in_capitals_is_no_surname_before_a_given_name_and_patronymic():
    assert tagged("TALKS IN MOSCOW Ivan Ivanovich said.", "people") == ["Ivan Ivanovich"]


def test_a_town_named_by_a_surname_after_a_role_is_a_person():
    # A town of towns.tsv with a regional surname's ending is the person right after
    # a role, and then next to a verb of saying; elsewhere it stays the town.
    text = (
        "Minister Tursunzoda opened the new school. The aluminium plant in Tursunzoda"
        " will grow, Tursunzoda said."
    )
    [person] = [t for t in tag_text(text).people if t.entity.name == "Tursunzoda"]
    assert (person.mentions, person.count) == (("Tursunzoda",), 2)


def test_a_town_named_by_a_surname_stays_a_place_without_a_role_before_it():
    # a verb of saying alone leaves the town a town
    text = "The aluminium plant in Tursunzoda will grow, Tursunzoda said."
    assert tagged(text, "people") == []


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("The poet Mirzo Tursunzoda was born in 1911.", "Mirzo Tursunzoda"),
        # the recogniser takes it for a body
        ("The Kulob delegation arrived. Akmal Saratov met them.", "Akmal Saratov"),
    ],
)
def test_a_town_named_by_a_surname_after_a_given_name_is_a_person(text, person):
    assert tagged(text, "people") == [person]
    assert tagged(text, "organisations") == []


def test_two_towns_side_by_side_are_no_name():
    assert tagged("Flights from Kulob Saratov were cancelled.", "people") == []


def test_a_given_name_told_something_stays_a_person():
    """One word after "told" ending the clause is a medium ("told Vremya."); a
    person told what follows "that" stays a person."""
    text = "He needed money, so I told Andrey that he could help."
    assert tagged(text, "people") == ["Andrey"]
    assert tagged(text, "organisations") == []


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Addressing Migration and Labour Rights\n\nThe minister spoke about the visit.", []),
        ("Browning Smith\nThe minister spoke about the visit.", ["Browning Smith"]),
    ],
)
def test_a_heading_opening_with_a_gerund_is_no_one(text, people):
    assert tagged(text, "people") == people


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Talks went on.\n\nBortnikovsky arrived in Osh as part of the talks.", "Bortnikovsky"),
        (
            "According to Tashmatov, at some large sites builders earn around $600 a month.",
            "Tashmatov",
        ),
        ("“Crime fell by a tenth,” Muratbekov stressed at a meeting.", "Muratbekov"),
    ],
)
def test_a_surname_alone_in_a_persons_place_is_a_person(text, person):
    """A surname alone with one of the region's endings, which the recogniser missed:
    after "according to", next to a verb of saying, opening a sentence before a verb."""
    assert tagged(text, "people") == [person]
    assert tagged(text, "organisations") == []


@pytest.mark.parametrize(
    "text",
    [
        "Lending for the major Latin debtors will grow, the bank said.",
        "<Boriskov Holdings Inc> sold a unit. Boriskov said the price was fair.",
    ],
)
def test_an_adjective_or_a_companys_word_is_no_surname_alone(text):
    assert tagged(text, "people") == []


def test_a_surname_alone_is_found_though_a_full_name_begins_with_it():
    """A name written surname first ("Zoirzoda Farhod Karim") does not hide the
    surname alone later; a company's name beginning with the word does."""
    text = (
        "Deputy Minister Zoirzoda Farhod Karim met the delegation.\n\nZoirzoda"
        " stressed that the talks had gone well."
    )
    tags = tag_text(text)
    surfaces = {m for t in tags.people + tags.mentioned for m in t.mentions}
    assert "Zoirzoda" in surfaces


@pytest.mark.parametrize(
    ("text", "person", "mentions"),
    [
        # one person spelt by two transliterations in one text (people.read_as,
        # data/names.yml transliteration_variants): the first spelling names him
        (
            "Speaker Vyacheslav Kurmanov opened the session. In turn, Viacheslav Kurmanov"
            " agreed with the proposal. Kurmanov added that work would go on.",
            "Vyacheslav Kurmanov",
            ("Vyacheslav Kurmanov", "Viacheslav Kurmanov", "Kurmanov"),
        ),
        (
            "Yevgeny Tashbayev met the delegation. Evgeny Tashbaev later signed the protocol.",
            "Yevgeny Tashbayev",
            ("Yevgeny Tashbayev", "Evgeny Tashbaev"),
        ),
        (
            "Minister Sergey Omurzakov arrived in Osh. Sergei Omurzakov visited the market.",
            "Sergey Omurzakov",
            ("Sergey Omurzakov", "Sergei Omurzakov"),
        ),
        # a surname alone spelt the other way is his too
        (
            "President Aidar Zhumayev arrived in Astana on Monday. Later, President Zhumaev"
            " met the governor of the region.",
            "Aidar Zhumayev",
            ("Aidar Zhumayev", "Zhumaev"),
        ),
    ],
)
def test_two_transliterations_of_one_name_are_one_person(text, person, mentions):
    people = [(t.entity.name, t.mentions) for t in tag_text(text).people]
    assert people == [(person, mentions)]


def test_names_read_alike_only_when_every_name_is():
    text = "Sergey Omurzakov met Oleg Omurzakov and Dmitry Omurzakova in Osh."
    assert tags(text) == ["Dmitry Omurzakova", "Oleg Omurzakov", "Sergey Omurzakov"]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        # initials before a surname with one of the region's endings, as Turkmen and
        # Russian official texts write names (names.regional_names)
        (
            "Minister of Culture Bolot Osmonov met with Deputy Minister of Education of"
            " Turkmenistan B. Kurbanov. The talks were useful.",
            "B. Kurbanov",
        ),
        ("Talks with R. Meredov went well.", "R. Meredov"),
        ("Deputy Minister A.B. Sapardurdyev met them.", "A.B. Sapardurdyev"),
        ("Deputy Minister A. B. Sapardurdyev met them.", "A. B. Sapardurdyev"),
    ],
)
def test_initials_and_a_regional_surname_name_a_person(text, person):
    assert person in tags(text)


def test_initials_are_no_country_abbreviation():
    assert tags("Officials from the U.S. Ivanov said.") == []


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # initials name the text's one person of that surname whose given names they
        # start (people._by_initials), written before or after the full name
        (
            "Rashid Meredov met the delegation in Ashgabat. Later, R. Meredov said the"
            " talks went well.",
            [("Rashid Meredov", ("Rashid Meredov", "R. Meredov"))],
        ),
        (
            "R. Meredov met the delegation in Ashgabat. Later, Rashid Meredov said the"
            " talks went well.",
            [("Rashid Meredov", ("R. Meredov", "Rashid Meredov"))],
        ),
        (
            "Rashid Bekovich Meredov met them. R.B. Meredov left.",
            [("Rashid Meredov", ("Rashid Bekovich Meredov", "R.B. Meredov"))],
        ),
        # not when the initial fits no one, or two
        (
            "Bayram Meredov met them. R. Meredov left.",
            [("Bayram Meredov", ("Bayram Meredov",)), ("R. Meredov", ("R. Meredov",))],
        ),
    ],
)
def test_initials_join_the_full_name_they_start(text, people):
    found = tag_text(text)
    assert sorted((t.entity.name, t.mentions) for t in found.people + found.mentioned) == people


def test_a_surname_alone_joins_the_name_written_surname_first():
    """Tajik official style: surname, given name, father's name ("Ⲇⲇzoda Ⲅⲅ Ⲉⲉ"); the
    surname alone later is the same person (people._surname_written_first)."""
    text = (
        "During the meeting, the minister Nazarzoda Firuz Hamro approved a cooperation"
        " plan.\n\nNazarzoda stressed that cooperation strengthens security."
    )
    found = tag_text(text)
    people = [(t.entity.name, t.mentions) for t in found.people + found.mentioned]
    assert people == [("Nazarzoda Firuz Hamro", ("Nazarzoda Firuz Hamro", "Nazarzoda"))]


def test_a_first_word_is_no_surname_where_the_last_is_one():
    text = "Later Aliev Rustam Karimov spoke to the press. Aliev said no more."
    found = tag_text(text)
    people = {t.entity.name: t.mentions for t in found.people + found.mentioned}
    assert people["Aliev Rustam Karimov"] == ("Aliev Rustam Karimov",)


@pytest.mark.parametrize(
    "text",
    [
        "Tajik Interior Minister Farrukh Sharifzoda met his Russian counterpart in Dushanbe.",
        "Tajik Labour Minister Dilnoza Saidzoda spoke at the forum.",
    ],
)
def test_a_portfolio_before_a_title_is_no_person(text):
    # the recogniser reads "Tajik Interior" as a person's name; without the country,
    # "Interior" is what the minister is minister of
    found = tag_text(text)
    people = [t.entity.name for t in (*found.people, *found.mentioned) if t.entity.kind == "people"]
    assert len(people) == 1 and people[0] in text and " " in people[0]
