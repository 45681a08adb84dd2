"""Countries a story names only in passing are mentions, not tags (countries.py
_passing): examples in a list, and a city or currency in a story that names
other countries by name. Made-up sentences."""

from bulletin.tagging import tag_text


def codes(text):
    tags = tag_text(text)
    mentioned = [t.entity.code for t in tags.mentioned if t.entity.kind == "countries"]
    return sorted(t.entity.code for t in tags.countries), sorted(mentioned)


def test_countries_given_as_examples_are_passing_mentions():
    text = (
        "Most Tajik workers went to Russia last year, the ministry in Tajikistan said. It is"
        " drafting agreements on labour mobility with countries such as the United Kingdom,"
        " Japan, Poland, and the Philippines. Russia remains the main destination."
    )
    assert codes(text) == (["RU", "TJ"], ["GB", "JP", "PH", "PL"])


def test_a_listed_country_named_again_is_judged_as_usual():
    text = (
        "Japan will hire more workers from abroad, from countries like Uzbekistan and"
        " Vietnam. Japan's ministry said Uzbekistan sent 3,000 workers and Uzbekistan wants more."
    )
    tags, mentioned = codes(text)
    assert "UZ" in tags and "JP" in tags
    assert mentioned == ["VN"]


def test_a_list_that_is_the_subject_is_about_its_countries():
    text = "Kazakhstan, Kyrgyzstan and Uzbekistan signed a water agreement on Monday."
    assert codes(text) == (["KG", "KZ", "UZ"], [])


def test_a_city_is_a_passing_mention_beside_named_countries():
    text = (
        "The foreign ministers of Tajikistan and Russia met on June 21 in Almaty and"
        " discussed migration. Tajikistan and Russia agreed to meet again."
    )
    assert codes(text) == (["RU", "TJ"], ["KZ"])


def test_a_city_alone_still_tags_its_country():
    text = "Talks on the new railway were held in Almaty on Monday, and Almaty will host more."
    assert codes(text) == (["KZ"], [])


def test_a_text_naming_countries_only_in_passing_has_no_country_tags():
    text = "The fund invests in countries such as Japan and Canada."
    assert codes(text) == ([], ["CA", "JP"])


def test_the_regions_demonym_plurals_name_their_countries():
    text = "Kyrgyzstanis, Tajikistanis and Uzbekistanis queued at the border for hours."
    tags, mentioned = codes(text)
    assert sorted(tags + mentioned) == ["KG", "TJ", "UZ"]


def test_a_war_in_the_background_is_a_passing_mention():
    text = (
        "A court in Uzbekistan sentenced a man from Samarkand to five years for joining the"
        " war in Ukraine on Russia's side. Uzbekistan forbids its citizens to fight abroad."
    )
    assert codes(text) == (["RU", "UZ"], ["UA"])


def test_a_country_where_others_are_sent_to_fight_is_a_passing_mention():
    text = (
        "Recruiters in Russia offer migrant workers from Kyrgyzstan money to fight in"
        " Ukraine. Kyrgyzstan warned its citizens in Russia against such offers."
    )
    assert codes(text) == (["KG", "RU"], ["UA"])


def test_the_countries_a_war_is_between_are_its_background():
    text = (
        "The Zarafshan labour agency urged Uzbek citizens working in Russia to stay"
        " informed, as reports told of military conflicts occurring between Russia and"
        " Ukraine. Uzbekistan will help those who want to come home."
    )
    assert codes(text) == (["RU", "UZ"], ["UA"])


def test_a_war_named_after_two_countries_is_the_background():
    text = (
        "Remittances from Russia to Tajikistan grew despite the Russia-Ukraine war,"
        " Tajikistan's central bank said. Russia remains the main market."
    )
    assert codes(text) == (["RU", "TJ"], ["UA"])


def test_a_country_the_story_tells_of_beyond_its_war_is_a_tag():
    text = (
        "Fighting continued in Ukraine on Monday. Ukrainian troops held the line near"
        " Kharkiv, and Ukraine asked for more air defence."
    )
    assert codes(text) == (["UA"], [])


def test_a_campaign_is_no_war():
    text = "The election campaign in Kyrgyzstan opens on Monday with twelve parties."
    assert codes(text) == (["KG"], [])
