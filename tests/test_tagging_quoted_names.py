"""Bodies named in quotation marks next to their kind in lower case, as the region's
news writes parties, movements and foundations (quoted_names.py, data/bodies.yml
`kinds_beside_quoted_names`). The sentences and names are made up for these tests."""

import pytest

from bulletin.tagging import tag_text


def bodies(text):
    """(name, mentions, tag?) of the text's organisations, tags and passing mentions."""
    tags = tag_text(text)
    found = [(t, True) for t in tags.organisations] + [
        (t, False) for t in tags.mentioned if t.entity.kind == "organisations"
    ]
    return sorted((t.entity.name, t.mentions, tag) for t, tag in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the kind after the quotes in lower case: the quoted name
        (
            "The «Zhana Kadam» party won four seats in the council.",
            [("Zhana Kadam", ("Zhana Kadam",), True)],
        ),
        # capitalised: named with the words after the quotes, mentioned as written inside
        (
            'The "Ozod Vatan" Democratic Party proposed a bill on labour migrants.',
            [("Ozod Vatan Democratic Party", ("Ozod Vatan",), True)],
        ),
        # the kind before the quotes
        (
            "The party «Tarakki» called for talks on the quotas.",
            [("Tarakki", ("Tarakki",), True)],
        ),
        # an acronym in brackets right after the quotes, and its later mentions; a
        # country's name inside the quotes is part of the body's
        (
            "The “Honest Russia - For Order”(HRFO) party tabled the bill. HRFO deputies"
            " voted for it.",
            [("Honest Russia - For Order", ("Honest Russia - For Order", "HRFO"), True)],
        ),
    ],
)
def test_a_name_in_quotes_beside_its_kind_is_a_body(text, expected):
    assert bodies(text) == expected


def test_a_quoted_body_in_a_persons_title_is_a_passing_mention():
    text = (
        'Ilhom Nazarov, chairman of the national movement "Kelajak" and deputy of the'
        " Oliy Majlis, spoke."
    )
    assert ("Kelajak", ("Kelajak",), False) in bodies(text)


@pytest.mark.parametrize(
    "text",
    [
        # places and shops named in quotes are no bodies
        'He left through the "Dustlik" customs post and met Umid in the "Magnit" hypermarket.',
        # a quotation is no name
        'He called the plan "a disaster" and the party "weak".',
    ],
)
def test_no_body_where_the_quotes_name_none(text):
    assert bodies(text) == []
