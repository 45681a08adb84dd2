"""matcher.find_verbatim finds what the regular expression it replaces found
(people's, teams' and acronyms' later mentions), without compiling one per text."""

import random
import re

import pytest

from bulletin.tagging.matcher import find_verbatim

IN_WORD, GOES_ON = re.compile(r"[\w'’-]"), re.compile(r"[\w-]")


def _by_regex(text, names, not_before=r"[\w'’-]", not_after=r"[\w-]"):
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    found = re.finditer(rf"(?<!{not_before})(?:{pattern})(?!{not_after})", text)
    return [(hit.start(), hit.group()) for hit in found]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # The longest name at a place wins; a shorter one inside it is not found again.
        ("Ivan Petrov said Petrov met Ivan", ["Petrov", "Ivan Petrov", "Ivan"],
         [(0, "Ivan Petrov"), (17, "Petrov"), (28, "Ivan")]),
        # Whole words only: not inside "Petrova", "O'Petrov", "Petrov-Vodkin".
        ("Petrova O'Petrov Petrov-Vodkin Petrov's Petrov.", ["Petrov"],
         [(31, "Petrov"), (40, "Petrov")]),
        # The longest name that ends on a word's end, when a longer one does not.
        ("Ab Cd-e Ab Cd", ["Ab Cd", "Ab"], [(0, "Ab"), (8, "Ab Cd")]),
        # Overlapping occurrences: the leftmost is taken.
        ("Aa Aa Aa", ["Aa Aa"], [(0, "Aa Aa")]),
        ("", ["Aa"], []),
        ("Aa", [], []),
    ],
)  # fmt: skip
def test_finds_what_the_expression_found(text, names, expected):
    assert find_verbatim(text, names, IN_WORD, GOES_ON) == expected
    assert _by_regex(text, names) == expected if names else True


def test_same_as_the_expression_on_random_texts():
    """Short random texts over few letters make every overlap and boundary likely."""
    rng = random.Random(13)
    alphabet = ["A", "b", " ", "-", "'", "’", ".", "1"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        names = {
            "".join(rng.choice(alphabet[:4]) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(1, 3))
        }
        names = {n for n in names if n.strip()}
        if names:
            assert find_verbatim(text, names, IN_WORD, GOES_ON) == _by_regex(text, names)
            assert find_verbatim(text, names, re.compile(r"[\w.]"), re.compile(r"\w")) == (
                _by_regex(text, names, r"[\w.]", r"\w")
            )
