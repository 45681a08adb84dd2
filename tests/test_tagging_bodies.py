"""How the region's news names its bodies: the grammar of institutions' names
(data/bodies.yml), the regional gazetteer and media (data/regional.yml,
data/media.yml), what is not an organisation (data/not_organisations.yml) and
source credits. Made-up sentences in the style of the region's wire services."""

import pytest

from bulletin.tagging import tag_text
from conftest import tagged


def bodies(text):
    """(name, code, mentions) of the text's organisations, tags and passing mentions."""
    tags = tag_text(text)
    found = tags.organisations + tuple(
        t for t in tags.mentioned if t.entity.kind == "organisations"
    )
    return sorted((t.entity.name, t.entity.code, t.mentions) for t in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Ministry of Water, Energy and Roads of Tajikistan signed the plan.",
            ("Ministry of Water, Energy and Roads of Tajikistan", "TJ"),
        ),
        (
            "The Ministry of Health, Science, and Sport of the Kyrgyz Republic agreed.",
            ("Ministry of Health, Science, and Sport of Kyrgyzstan", "KG"),
        ),
        (
            "Officials of the Uzbek Ministry of Mining Affairs visited the site.",
            ("Ministry of Mining Affairs of Uzbekistan", "UZ"),
        ),
        (
            "The Kazakh Health Ministry issued new rules.",
            ("Ministry of Health of Kazakhstan", "KZ"),
        ),
        (
            "The Agency for Seed Control under the Government of Tajikistan warned farmers.",
            ("Agency for Seed Control under the Government of Tajikistan", "TJ"),
        ),
        (
            "The Embassy of Kyrgyzstan in Türkiye opened a hotline.",
            ("Embassy of Kyrgyzstan in Türkiye", "KG"),
        ),
        (
            "The Turkmen Embassy in Kazakhstan opened a hotline.",
            ("Embassy of Turkmenistan in Kazakhstan", "TM"),
        ),
        (
            "The Bureau Handling Visa Issues of the Omsk Police Directorate said it.",
            ("Bureau Handling Visa Issues of the Omsk Police Directorate", ""),
        ),
        (
            "The Department of Sport of Karaganda Oblast opened a school.",
            ("Department of Sport of Karaganda Oblast", "KZ"),
        ),
        (
            "The Kyrgyz consulate in Yekaterinburg opened a hotline.",
            ("Consulate of Kyrgyzstan in Yekaterinburg", "KG"),
        ),
        ("The Cabinet of Ministers approved the plan.", ("Cabinet of Ministers", "")),
        ("The Omsk Sports Centre on Friday hosted a match.", ("Omsk Sports Centre", "RU")),
        (
            "The ninth meeting of the Tajik-Kazakh Inter-Parliamentary Commission was held.",
            ("Tajik-Kazakh Inter-Parliamentary Commission", ""),
        ),
        (
            "The Kazakh-Chinese Business Council held a forum in Almaty.",
            ("Kazakh-Chinese Business Council", ""),
        ),
    ],
)
def test_the_grammar_names_a_body_whole_and_links_it_to_its_country(text, expected):
    """A body of two countries ("Tajik-Kazakh …") is neither's."""
    assert [(name, code) for name, code, _ in bodies(text)] == [expected]


def test_a_possessive_after_a_joined_name_is_no_part_of_it():
    text = "He gave out the Ministry of Labor and Social Development’s hotline number."
    assert [name for name, *_ in bodies(text)] == ["Ministry of Labor and Social Development"]
    text = "He gave out the Ministry of Labor and Social Development's hotline number."
    assert [name for name, *_ in bodies(text)] == ["Ministry of Labor and Social Development"]


def test_a_word_opening_the_sentence_is_no_part_of_the_name_after_it():
    text = "Later the Migration Service said that foreign workers must register."
    assert [name for name, _, _ in bodies(text)] == ["Migration Service"]


@pytest.mark.parametrize(
    "text",
    [
        "DUSHANBE. KAZINFORM – The Ministry of Health of Tajikistan opened a clinic.",
        "The clinic opened.\n\nKYZYLORDA, May 3 (Daryo) – The Ministry of Health opened it.",
        "UST-KAMENOGORSK – The Ministry of Health opened a clinic.",
    ],
)
def test_a_datelines_place_in_capitals_is_no_body_and_no_one(text):
    assert "Ministry of Health" in " ".join(name for name, _, _ in bodies(text))
    assert not [name for name, _, _ in bodies(text) if name.isupper() and name != "KAZINFORM"]
    assert tagged(text, "people") == []


def test_a_bodys_national_service_is_not_the_countrys():
    text = "Radio Liberty’s Tajik Service reported that some migrant workers were detained."
    assert [name for name, *_ in bodies(text) if "Tajikistan" in name] == []


def test_an_adjective_form_is_kept_as_the_mention():
    [(name, code, mentions)] = bodies("The Russian Ministry of Sport Affairs replied.")
    assert (name, code) == ("Ministry of Sport Affairs of the Russian Federation", "RU")
    assert mentions == ("Russian Ministry of Sport Affairs",)


def test_a_possessive_country_is_no_part_of_the_mention():
    [(name, code, mentions)] = bodies("Uzbekistan's Agency for Seed Control answered.")
    assert (name, code, mentions) == (
        "Agency for Seed Control of Uzbekistan",
        "UZ",
        ("Agency for Seed Control",),
    )


def test_a_name_after_the_country_is_no_part_of_the_body():
    text = "Minister of Water, Energy and Roads of Tajikistan Dilnoza Karimova said it."
    assert bodies(text) == []
    text = "Head of the Ministry of Water, Energy and Roads of Tajikistan Dilnoza Karimova spoke."
    assert [name for name, *_ in bodies(text)] == [
        "Ministry of Water, Energy and Roads of Tajikistan"
    ]


def test_a_listed_body_after_and_is_no_part_of_the_name_before():
    text = "Talks between the Ministry of Sport and Tourism, and Rostrud went well."
    assert [name for name, *_ in bodies(text)] == ["Ministry of Sport and Tourism", "Rostrud"]


def test_two_bodies_joined_by_and_stay_two():
    text = "The Ministry of Health of Kazakhstan and Ministry of Sport of Kazakhstan met."
    assert [name for name, *_ in bodies(text)] == [
        "Ministry of Health of Kazakhstan",
        "Ministry of Sport of Kazakhstan",
    ]


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("The State Duma passed the bill in its third reading.", "State Duma", "RU"),
        ("The Federation Council approved the bill.", "Federation Council", "RU"),
        ("Rostrud published the figures.", "Rostrud", "RU"),
        ("The Jogorku Kenesh adopted the law.", "Jogorku Kenesh", "KG"),
        ("The Majlisi Oli ratified the agreement.", "Majlisi Oli", "TJ"),
        ("Sberbank of Russia opened a branch.", "Sberbank", "RU"),
        # a one-word agency before a person's name is no part of the name
        (
            "Books were handed over by a representative of Rossotrudnichestvo Yulia Orlova.",
            "Rossotrudnichestvo",
            "RU",
        ),
    ],
)
def test_the_regions_bodies_are_listed_with_their_country(text, name, code):
    assert [(n, c) for n, c, _ in bodies(text)] == [(name, code)]


@pytest.mark.parametrize(
    "text",
    [
        "Farmers used Telegram and WhatsApp to share the news of the talks.",
        "Clinics saw fewer COVID-19 cases and fewer visits during the summer.",
        "Crowds gathered at the Almaz City Hall for the concert on Friday.",
        "Water in the Shardara Reservoir rose again, reaching the Koksu River banks.",
        "The Ministers of Foreign Affairs of Kazakhstan and Uzbekistan met in Tashkent.",
        "Officials from Lebap met Kyrgyzstanis working in the fields.",
        "Students took part in Almaty-2019 and the Karaganda Citizenship Law debates.",
        "Trains will run faster on the line and new terminals will open at Khorgos.",
        "In the aftermath of the attack in Crocus, the checks of migrants grew stricter.",
        "Migrants helped to build Vostochny, the new launch site, for a year.",
        "The forum in Cholpon-Ata and the fair in Turkmenabat drew many guests.",
        "He was fined for illegal crossing of the State Border of Kazakhstan in May.",
        "The Russian Interior has prepared a draft law on the stay of foreigners.",
        "The Treaty between the Russian Federation and the Republic of Uzbekistan on"
        " Good-Neighborliness and Alliance in the 21st Century of June 3, 2019, remains in force.",
        "The Foreign Ministries of Kyrgyzstan and Russia began talks on visas.",
        "Officials of the State Labor Inspectorates of the region will attend the forum.",
        "The map shows the Donetsk and Lugansk People's Republics in another colour.",
    ],
)
def test_platforms_diseases_places_laws_titles_and_people_are_not_organisations(text):
    """Nor are kinds of body in the plural ("the Foreign Ministries of …")."""
    assert tagged(text, "organisations") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Aliya Serikova, World Bank Director for Social Protection, Labor and Jobs, spoke.",
            ["World Bank"],
        ),
        ("The Minister for Social Protection and Labor of Tajikistan opened the fair.", []),
        (
            "The Secretary General of the Organization for Security and Co-operation"
            " in Europe arrived.",
            ["Organization for Security and Co-operation in Europe"],
        ),
    ],
)
def test_the_portfolio_after_a_titles_for_is_no_body(text, expected):
    assert tagged(text, "organisations") == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Ministry of Sport of Uzbekistan opened the stadium, Daryo reports.",
        "According to 24.kg, the Ministry of Sport of Uzbekistan opened the stadium.",
        "The Ministry of Sport of Uzbekistan opened the stadium, Kazinform News Agency reports.",
        "ASTANA. KAZINFORM – The Ministry of Sport of Uzbekistan opened the stadium.",
    ],
)
def test_a_source_credit_is_a_passing_mention(text):
    tags = tag_text(text)
    assert [t.entity.name for t in tags.organisations] == ["Ministry of Sport of Uzbekistan"]
    assert [t.entity.kind for t in tags.mentioned] == ["organisations"]


@pytest.mark.parametrize(
    ("text", "medium"),
    [
        (
            "In the Orsk region, a bakery was closed for hiring illegally, Kaspinews reports.",
            "Kaspinews",
        ),
        ("Police arrested 300 migrants on Friday, the outlet Nevanews reports.", "Nevanews"),
        ("Most of them were citizens of Uzbekistan, reported the Uralinfo website.", "Uralinfo"),
        ("The deputy said the bill would pass, Dumablog wrote.", "Dumablog"),
        (
            "Pensions will grow next year, Dumablog reported citing the Ministry of Finance.",
            "Dumablog",
        ),
        ("Nothing will stop the outflow of workers, the economist told Vremya.", "Vremya"),
        ("The quota will grow, the deputy said in an interview with Nevanews.", "Nevanews"),
    ],
)
def test_a_medium_known_by_the_words_around_it_is_a_passing_mention(text, medium):
    tags = tag_text(text)
    assert tags.people == ()
    assert [(t.entity.kind, t.entity.name) for t in tags.mentioned] == [("organisations", medium)]
    assert medium not in [t.entity.name for t in tags.organisations]


@pytest.mark.parametrize(
    ("text", "medium"),
    [
        (
            "Fares rose by a tenth.Photo: a busy stationSource: NOVOSTI.RUThe mayor agreed.",
            "NOVOSTI.RU",
        ),
        (
            "Fares rose by a tenth.Photo: a busy stationSource: Stepnoy VestnikAs it said.",
            "Stepnoy Vestnik",
        ),
        ("Photo: a queue at the border\nSource: PicStock", "PicStock"),
        ('Incomes fell by a third. This was reported by "Sibvesti.ru."', "Sibvesti.ru"),
        ("The deputy spoke in an interview with Dumaonline.kz on Monday.", "Dumaonline.kz"),
        ("Fares rose, «Volzhskaya Pravda» reported on Friday.", "Volzhskaya Pravda"),
        ("Fares rose, as reported by “Stepnoy Vestnik”.", "Stepnoy Vestnik"),
        (
            "A driver was caught, citing the Russian publication KrasBK. According to KrasBK, he paid.",
            "KrasBK",
        ),
        ("An analysis by the Zerkalo website reveals that fares rose.", "Zerkalo"),
    ],
)
def test_a_medium_the_recogniser_misses_is_found_by_its_place(text, medium):
    """A name credited as the source by a label ("Source: …", with the next sentence
    glued to it), a kind of medium, a web address or quotation marks and a verb
    crediting it: a passing mention, though the recogniser found no name there."""
    tags = tag_text(text)
    assert tags.organisations == ()
    assert [(t.entity.kind, t.entity.name) for t in tags.mentioned] == [("organisations", medium)]


@pytest.mark.parametrize(
    ("text", "medium", "mentions"),
    [
        ("Fares will rise in spring, Tass.ru reports.", "TASS", ("Tass.ru",)),
        (
            "Fares rose.Photo: a stationSource: ASIA-PlusDuring the talks he agreed.",
            "Asia-Plus",
            ("ASIA-Plus",),
        ),
        # one word ending a clause after "reported by": found, though in lower case
        (
            "A brawl broke out at a building site, as reported by Asia-plus.",
            "Asia-Plus",
            ("Asia-plus",),
        ),
    ],
)
def test_a_medium_found_by_its_place_may_be_a_listed_one(text, medium, mentions):
    (tag,) = tag_text(text).mentioned
    assert (tag.entity.name, tag.mentions) == (medium, mentions)


@pytest.mark.parametrize(
    "text",
    [
        "The order was published on the official Internet portal of legal information.",
        "Photo: a queue at the borderSource: the Ministry of Transport",
        "Details are on the Embassy website and on migrant.kg as well.",
    ],
)
def test_no_medium_is_found_where_a_place_names_none(text):
    assert tagged(text, "organisations") in ([], ["Ministry of Transport"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Interior Ministry drafted the bill. The Ministry of Internal Affairs of Russia"
            " said it would cut the stay to 90 days.",
            [("Ministry of Internal Affairs of the Russian Federation", "RU")],
        ),
        (
            "Guards held six Uzbeks in Lyubertsy, the Embassy of Uzbekistan in Russia said."
            " Staff of the Uzbek Embassy went to the station.",
            [("Embassy of Uzbekistan in the Russian Federation", "UZ")],
        ),
        (
            "Deputies of the State Duma of the Russian Federation met in Bishkek.",
            [("State Duma", "RU")],
        ),
        (
            "The Ministry of Internal Affairs of Kazakhstan and the Ministry of Internal"
            " Affairs of the Russian Federation signed it. The Ministry of Internal Affairs said.",
            [
                ("Ministry of Internal Affairs", ""),
                ("Ministry of Internal Affairs of Kazakhstan", "KZ"),
                ("Ministry of Internal Affairs of the Russian Federation", "RU"),
            ],
        ),
    ],
)
def test_a_body_is_one_entity_with_or_without_its_country(text, expected):
    """A body named without its country or host is the text's one body named so with
    them; one named with its country is the listed body of that country of the same
    name; with two such bodies, the bare name joins neither."""
    tags = tag_text(text)
    found = {t.entity for t in tags.organisations + tags.mentioned}
    assert sorted((e.name, e.code) for e in found if e.kind == "organisations") == expected


@pytest.mark.parametrize(
    ("text", "companies"),
    [
        ("A memorandum was signed with Steppe Fininvest LLC.", ["Steppe Fininvest LLC"]),
        ("The Alatau Trading LLC imported the equipment.", ["Alatau Trading LLC"]),
        ("A contract went to «Kazenergoremont» JSC.", ["Kazenergoremont JSC"]),
        (
            "A deal between Xi’an Steel Construction and Operation Co., Ltd and Slavtrans"
            " Service was signed.",
            ["Slavtrans Service", "Xi’an Steel Construction and Operation Co., Ltd"],
        ),
    ],
)
def test_a_name_ending_in_a_legal_form_is_a_companys(text, companies):
    assert sorted(name for name, *_ in bodies(text)) == companies


@pytest.mark.parametrize(
    ("text", "medium"),
    [
        # a few words credited after a clause and its comma (organisations.names_a_medium)
        (
            "The ministry has drafted a bill on visas, said spokeswoman Zarina Temirova,"
            " Important Tidings reports.\n\nThe bill cuts the stay to 90 days.",
            "Important Tidings",
        ),
        ("Prices of flour rose by a tenth in May, Sevimli TV reported.", "Sevimli TV"),
        # one word ending a clause after "reported by" (organisations.find_media)
        ("A brawl broke out at the market, as reported by Vestnik-plus.", "Vestnik-plus"),
    ],
)
def test_a_medium_credited_at_a_clauses_end_is_a_passing_mention(text, medium):
    tags = tag_text(text)
    assert medium not in [t.entity.name for t in tags.organisations]
    assert ("organisations", medium) in [(t.entity.kind, t.entity.name) for t in tags.mentioned]


@pytest.mark.parametrize(
    "text",
    [
        "The number of migrants fell by a third, the Statistics Agency reports.",
        "Prices of flour rose by a tenth in May, Nodira Rakhimova reports.",
        "The case at the market was reported by Kurbanov.",
    ],
)
def test_a_body_or_a_person_credited_at_a_clauses_end_is_no_medium(text):
    tags = tag_text(text)
    found = tags.organisations + tags.mentioned
    media = [t.entity.name for t in found if t.entity.kind == "organisations"]
    assert not [name for name in media if "Agency" not in name]


def test_a_body_reporting_is_no_medium():
    text = "The Ministry of Internal Affairs reported that 500 migrants were detained."
    assert tags_and_mentions(text) == (["Ministry of Internal Affairs"], [])


def test_hashtags_and_handles_name_no_one():
    text = "Sergey Mironov said the bill would pass. #MigrationPolicy #AnnexationDebate (@DumaNews)"
    tags = tag_text(text)
    assert [t.entity.name for t in tags.people + tags.organisations + tags.mentioned] == [
        "Sergey Mironov"
    ]


def test_a_medium_reporting_is_a_passing_mention():
    text = "Turkmen.news has learned of new visa rules. Turkmen.news asked the consulate why."
    assert tags_and_mentions(text) == ([], ["Turkmen.news"])


def test_a_medium_the_story_is_about_is_a_tag():
    text = "Asia-Plus was fined for its reporting. Asia-Plus will appeal, its editor said."
    assert [t.entity.name for t in tag_text(text).organisations] == ["Asia-Plus"]


FILLER = (
    "\n\nThe rules take effect next month. Officials expect fewer queues at the centres. "
    "The changes were discussed for a long time before they were adopted this week."
)


def tags_and_mentions(text):
    tags = tag_text(text)
    return (
        [t.entity.name for t in tags.organisations],
        [t.entity.name for t in tags.mentioned if t.entity.kind == "organisations"],
    )


@pytest.mark.parametrize(
    "act", ["also urged migrants to register early", "will soon publish a list of clubs"]
)
def test_a_national_body_that_acts_late_in_the_text_is_a_tag(act):
    text = "Migrants queued for hours in the heat." + FILLER * 3
    text += f"\n\nThe Ministry of Sport of Uzbekistan {act}."
    assert tags_and_mentions(text) == (["Ministry of Sport of Uzbekistan"], [])


@pytest.mark.parametrize("where", ["in the Russian Federation", "in Russia", "in Novosibirsk"])
def test_a_national_body_acting_from_where_its_office_is_is_a_tag(where):
    """ "the representative office of the Ministry … in Russia received …": the body
    acts, over where it is."""
    text = "Migrants queued for hours in the heat." + FILLER * 3
    text += (
        "\n\nSince January, the representative office of the Ministry of Sport of"
        f" Uzbekistan {where} received 300 appeals."
    )
    assert tags_and_mentions(text) == (["Ministry of Sport of Uzbekistan"], [])


@pytest.mark.parametrize(
    ("meeting", "body"),
    [
        (
            "the minister Ainura Kasymova met with the management of the state-funded"
            " institution Multiservice Labour Centre of Kazan",
            "Multiservice Labour Centre of Kazan",
        ),
        ("the ambassador Ulan Sarbanov met with deputies of the Russian State Duma", "State Duma"),
        ("the ambassador held talks with the Migration Service of Tajikistan", "Migration Service"),
    ],
)
def test_a_national_body_met_late_in_the_text_is_a_tag(meeting, body):
    """organisations.is_met: a body the story's actors meet (or meet people of) takes
    part, as when it acts."""
    text = "Migrants queued for hours in the heat." + FILLER * 3 + f"\n\nA month ago, {meeting}."
    tags = tag_text(text)
    assert [t.entity.name for t in tags.organisations if body in t.entity.name]


def test_an_international_body_met_late_in_the_text_is_a_passing_mention():
    text = "Migrants queued for hours in the heat." + FILLER * 3
    text += "\n\nA month ago, the minister met with representatives of the World Bank."
    assert tags_and_mentions(text) == ([], ["World Bank"])


def test_a_body_acting_under_its_kind_alone_is_a_tag():
    """ "the ministry had prepared …" after the text named one ministry: the ministry acts."""
    text = (
        "Migrants queued for hours in the heat." + FILLER * 3 + "\n\nAccording to Olga"
        " Petrova, head of the Interior Ministry’s migration department, the ministry had"
        " prepared a draft law with new bans."
    )
    assert tags_and_mentions(text) == (["Interior Ministry"], [])


def test_a_kind_of_body_alone_acts_for_no_body_where_two_are_of_that_kind():
    text = (
        "Migrants queued for hours in the heat." + FILLER * 3 + "\n\nAccording to the"
        " Interior Ministry and the Ministry of Labor of Tajikistan, the ministry had"
        " prepared a draft law with new bans."
    )
    assert tags_and_mentions(text)[0] == []


def test_an_international_body_saying_something_late_is_a_passing_mention():
    text = "Migrants queued for hours in the heat." + FILLER * 3
    text += "\n\nThe World Bank expressed confidence in the plan."
    assert tags_and_mentions(text) == ([], ["World Bank"])


@pytest.mark.parametrize(
    "text",
    [
        "Citizens of the CIS countries can apply online, the rules say.",
        "According to the National Bank of Tajikistan, transfers fell by a tenth.",
        "Deputy Chairman of the Security Council of Kyrgyzstan Aibek Osmonov spoke.",
        "Cooperation within international organisations such as the OSCE goes on.",
        "Migrants from countries within the Eurasian Economic Union (EEU) need no permit.",
    ],
)
def test_a_body_named_as_a_modifier_source_example_or_title_is_a_passing_mention(text):
    tags, mentioned = tags_and_mentions(text + FILLER)
    assert tags == [] and len(mentioned) == 1


def test_the_parties_to_documents_are_not_what_a_list_of_documents_is_about():
    items = [
        "Agreement between the Ministry of Sport of Kazakhstan and the Ministry of Sport of Russia",
        "Memorandum between the State Duma and the Mazhilis of Kazakhstan",
        "Protocol between the Ministry of Energy of Kazakhstan and Rosatom",
    ]
    text = "The following documents were signed:\n\n" + ";\n\n".join(
        f"{n}. {item}" for n, item in enumerate(items, 1)
    )
    tags, mentioned = tags_and_mentions(text)
    assert tags == [] and len(mentioned) == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Commissioner of the Oliy Majlis for Human Rights Dilnoza Karimova spoke.",
            ["Oliy Majlis"],
        ),
        (
            "The Commissioner of the Agency for Migration of Kyrgyzstan spoke.",
            ["Agency for Migration of Kyrgyzstan"],
        ),
    ],
)
def test_a_commissioners_for_is_the_titles_not_the_bodys(text, expected):
    assert tagged(text, "organisations") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Yangiobod district criminal court in Namangan region sentenced a resident to"
            " five years.",
            ["Yangiobod district criminal court"],
        ),
        (
            "The Sverdlovsky district court of Bishkek fined him. The Naryn city court upheld"
            " the fine.",
            ["Naryn city court", "Sverdlovsky district court"],
        ),
    ],
)
def test_a_local_body_named_in_lower_case_by_its_place_is_a_body(text, expected):
    """local_bodies.py: place, level and kind in lower case, named as written."""
    assert sorted(name for name, *_ in bodies(text)) == expected


def test_a_local_body_needs_a_place_not_a_country():
    assert bodies("A Kazakh district court ruled on the case.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Agency for external labour migration released a statement on the fight.",
            ["Agency for external labour migration"],
        ),
        # the name ends before the auxiliary and its verb
        (
            "Now the Committee on migration issues has prepared a bill.",
            ["Committee on migration issues"],
        ),
    ],
)
def test_a_kind_of_body_with_its_portfolio_in_lower_case_acting_is_a_body(text, expected):
    """lower_case_bodies.find_lower_case_portfolios: named as written."""
    assert [name for name, *_ in bodies(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Agency for two years refused to pay the fine.",
        "The Agency for external labour migration in its statement.",
    ],
)
def test_no_body_where_no_portfolio_or_no_verb_follows(text):
    assert bodies(text) == []
