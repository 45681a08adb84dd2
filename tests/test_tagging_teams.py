"""Sports teams in results, standings, fixtures and scorecards are organisations."""

import pytest

from bulletin.tagging import tag_text


def organisations(text):
    tags = tag_text(text)
    return sorted(
        t.entity.name
        for t in tags.organisations + tags.mentioned
        if t.entity.kind == "organisations"
    )


def others(text):
    """Countries and people: what a team must not be taken for."""
    tags = tag_text(text)
    kinds = ("countries", "people")
    return sorted(t.entity.name for t in tags.countries + tags.people + tags.mentioned
                  if t.entity.kind in kinds)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "teams"),
    [
        ("Results on Saturday:\n\nRedbrook 1 Aston Vale 0\n\nLeeds 2 Hamilton 2", ["Aston Vale", "Hamilton", "Leeds", "Redbrook"]),
        ("Standings:\n\nPortvale Rovers 4 2 1 1 6 5 7\n\nCHICAGO 71 64 .526 10", ["CHICAGO", "Portvale Rovers"]),
        ("Playing Sunday: Queens Park Rangers v Bolton", ["Bolton", "Queens Park Rangers"]),
        ("At Hove: Sussex 363 and 144-5, Lancashire 218 (J. Smith 75).", ["Lancashire", "Sussex"]),
        ("Derbyshire beat Worcestershire by nine wickets.", ["Derbyshire", "Worcestershire"]),
        ("Benetton of Italy beat Dinamo of Russia 92-81 in the final.", ["Benetton", "Dinamo"]),
    ],
)  # fmt: skip
def test_teams_in_results_are_organisations(text, teams):
    assert organisations(text) == teams
    assert "Leeds" not in others(text) and "Hamilton" not in others(text)


def test_a_city_named_team_is_not_its_country():
    assert others("Houston 10 Los Angeles 4") == []


@pytest.mark.parametrize(
    "text",
    [
        "Scotland 2 Austria 0",  # national teams stay countries
        "Ukraine beat Northern Ireland 1-0 in Kiev.",
        "Carl Suneson (Spain) 65 66 70",  # a golfer's rounds
        "Pete Sampras beat Mark Woodforde 6-4 6-3.",  # a player's win in sets
        "Bill Clinton beat Bob Dole by eight points in the poll.",
        "Sales 9.06 9.31 8.42",  # a company's figures
    ],
)
def test_lines_that_are_not_teams(text):
    assert organisations(text) == []


def test_a_team_is_the_same_organisation_wherever_the_text_names_it():
    text = "Results:\n\nSurrey 2 Kent 1\n\nSurrey's captain said Surrey deserved it."
    tags = tag_text(text)
    (surrey,) = [t for t in tags.organisations if t.entity.name == "Surrey"]
    assert surrey.count == 3
    assert others(text) == []
