"""The tagger's shortcuts give what the plain way gave: matcher.find_verbatim
(people's, teams' and acronyms' later mentions) instead of an expression compiled per
text; quick tests before costly searches (ner, names); the name recogniser's results
for the parts it read last, instead of reading them again; the name recogniser's
encoder run as one function (tagging/encoder.py) instead of thinc's layers, its
products from the weights transposed once (tagging/products.py)."""

import random
import re
import subprocess
import sys

import numpy
import pytest
from thinc.api import Linear, chain

from bulletin.tagging import Tagger, companies, encoder, names, ner, organisations, products
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


def _random_texts(alphabet, count, longest, seed=13):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def test_sentence_start_searched_from_the_last_word():
    """ner._starts_sentence(part, k) is _SENTENCE_START.search(part[:k])."""
    alphabet = ["A", "b", " ", "\n", ".", ":", '"', "“", "(", "\u00a0"]
    for text in _random_texts(alphabet, 3000, 12):
        for k in range(len(text) + 1):
            expected = ner._SENTENCE_START.search(text[:k]) is not None
            assert ner._starts_sentence(text, k) == expected, (text, k)


def test_title_searched_only_where_one_ends():
    """names._after_title is _TITLE_OF or _TITLES_OF searched before the offset."""
    words = ["President", "Ministers", "of", "to", "at", "the", "and", "Republic", "Kazakhstan"]
    rng = random.Random(13)
    for _ in range(2000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 7)))
        text += rng.choice([" ", " \n", "", "\n"]) + "Nurlan"
        start = len(text) - len("Nurlan")
        expected = bool(
            names._TITLE_OF.search(text, max(0, start - 120), start)
            or names._TITLES_OF.search(text, max(0, start - 120), start)
        )
        assert names._after_title(text, start) == expected, text


def test_names_end_only_in_words_not_starting_in_lower_case():
    """regional_names reads _LAST_NAME_WORD: _CAPITALISED_WORD's words but those
    starting with a lower-case ASCII letter."""
    alphabet = ["A", "b", "É", "é", " ", "-", "'", "’", ".", "1"]
    for text in _random_texts(alphabet, 3000, 14):
        expected = [
            (hit.start(), hit.group())
            for hit in names._CAPITALISED_WORD.finditer(text)
            if not "a" <= hit.group()[0] <= "z"
        ]
        got = [(hit.start(), hit.group()) for hit in names._LAST_NAME_WORD.finditer(text)]
        assert got == expected, text


def _only_where(quick, full, pieces, longest):
    """On random texts of the pieces: `full` finds nothing where `quick` finds
    nothing; and it does find something in some texts (more than 20)."""
    found = 0
    for text in _random_texts(pieces, 5000, longest):
        if quick(text) is None:
            assert full(text) is None, text
        else:
            found += full(text) is not None
    assert found > 20


def test_companies_searched_only_where_a_legal_form_is(monkeypatch):
    """companies._company matches only where _any_form finds a legal form after a
    blank, so find_companies searches no text without one."""
    pieces = ["A", "Kaz", "b", " ", ",", ".", "-", "«", "»", "JSC", "LLC", "Co", "Ltd", "1"]
    _only_where(companies._any_form().search, companies._company().search, pieces, 9)
    monkeypatch.setattr(companies, "_company", None)  # not searched: calling it would fail
    assert companies.find_companies("Kaz Trading and Alatau Ltd.", [], []) == []


def test_company_names_cut_only_where_a_legal_form_is():
    """companies._form_then_name matches only where _any_form finds a legal form, so
    split_after_legal_forms leaves the spans of a text without one as they are."""
    pieces = ["A", "Kaz", " ", ",", " and ", "JSC", "LLC", "Co", "Ltd", "«"]
    _only_where(companies._any_form().search, companies._form_then_name().search, pieces, 8)


def test_media_rules_run_only_where_a_word_of_theirs_is():
    """organisations.names_a_medium is true only in a text may_name_media finds a
    word of its lists in, so media_spans and the roles skip the others."""
    pieces = ["Kaspy", "Info", " ", ",", ".", "reports", "wrote", "outlet", "website",
              "the ", "TV channel", "repo", "s"]  # fmt: skip
    found = 0
    for text in _random_texts(pieces, 5000, 8):
        hits = [
            (start, end)
            for start in range(len(text))
            for end in range(start + 1, len(text) + 1)
            if organisations.names_a_medium(text, start, end)
        ]
        if not organisations.may_name_media(text):
            assert hits == [], text
        found += bool(hits)
    assert found > 20


def test_parts_read_lately_are_not_read_again(monkeypatch):
    """The model runs once for a text tagged twice (no memo given): the second time
    its parts come from what the process read lately, and the tags are the same."""
    text = "The delegation met Maulen Ashimbayev and Ulan Sarbanov at the hotel on Monday."
    tagger, nlp = Tagger(), ner.pipeline()
    read = []
    real_make_doc = nlp.make_doc

    def counting_make_doc(text):
        read.append(text)
        return real_make_doc(text)

    monkeypatch.setattr(nlp, "make_doc", counting_make_doc)
    monkeypatch.setattr(ner, "_recent", {})
    first = tagger.tag(text)
    assert read
    parts = list(read)
    second = tagger.tag(text)
    assert read == parts  # nothing more was read
    assert second == first
    assert {t.entity.name for t in first.people} == {"Maulen Ashimbayev", "Ulan Sarbanov"}


def test_what_is_kept_of_the_parts_read_is_bounded(monkeypatch):
    monkeypatch.setattr(ner, "_recent", {})
    monkeypatch.setattr(ner, "RECENT", 2)
    texts = [
        f"The delegation met {name} at the hotel."
        for name in ("Ali Aliyev", "Bo Borov", "Cy Cyrov")
    ]
    memos = [{} for _ in texts]
    ner.read([(ner.parts(text, []), memo) for text, memo in zip(texts, memos, strict=True)][:1])
    ner.read([(ner.parts(text, []), memo) for text, memo in zip(texts, memos, strict=True)][1:])
    assert len(ner._recent) == 2
    assert list(ner._recent) == [next(iter(memos[1])), next(iter(memos[2]))]  # the oldest went
    assert all(memos)


def _random_parts(rng, count):
    """Parts as ner.parts makes them: words, names, numbers and punctuation."""
    words = ["the", "Ministry", "of", "Finance", "said", "on", "Monday", "Ulan", "Sarbanov",
             "Kazakhstan's", "U.S.", "1.5", "pct", "(AKIpress)", "-", "Astana,", "Co", "Inc.",
             "said:", '"We', "will", "Tokayev", "OPEC", "Qazaqgaz", "van", "der", "Berg"]  # fmt: skip
    for _ in range(count):
        yield " ".join(rng.choice(words) for _ in range(rng.randint(1, 14)))


# OpenBLAS picks its kernels by processor: on some (AVX-512) a product of the
# transposed weights rounds differently in the last bit of float32 from thinc's
# call. The vectors are then the same within that rounding, and the names found
# the same (test_the_fused_encoder_finds_the_names_thincs_layers_find).
FLOAT32_ROUNDING = {"rtol": 1e-5, "atol": 1e-5}


def test_the_fused_encoder_gives_thincs_vectors():
    """pipeline() runs the encoder as encoder.fuse made it; on one part or several
    read together, its vectors are those of thinc's layers (bit for bit where the
    BLAS takes one kernel for both, else within float32 rounding)."""
    nlp = ner.pipeline()
    fused = nlp.get_pipe("ner").model.layers[0]
    assert fused.name == "fused_tok2vec"
    layers = fused.attrs["thinc"]
    rng = random.Random(13)
    for _ in range(150):
        docs = [nlp.make_doc(part) for part in _random_parts(rng, rng.randint(1, 6))]
        numpy.testing.assert_allclose(fused.predict(docs), layers.predict(docs), **FLOAT32_ROUNDING)


def test_products_from_the_transposed_weights_are_thincs():
    """products.product, from a layer's weights transposed once, gives what thinc's
    ops.gemm(inputs, W, trans2=True) gives, for each layer of the recogniser that uses
    it (encoder and decoder) and any number of rows: one row keeps thinc's call (numpy
    multiplies it as a matrix and a vector, summing otherwise)."""
    nlp = ner.pipeline()
    fused = nlp.get_pipe("ner").model.layers[0]
    weights = fused.attrs["weights"]
    layers = [
        weights["mix"][0],
        *(layer[0] for layer in weights["residual"]),
        weights["linear"][0],
        ner._decoder()._lower_weights,
    ]
    rng = numpy.random.default_rng(13)
    for matrix, transposed in layers:
        assert transposed is not None  # numpy's BLAS: the transpose is used
        for rows in (1, 2, 3, 5, 6, 7, 11, 12, 13, 40, 77, 300, 1000):
            inputs = rng.standard_normal((rows, matrix.shape[1])).astype("float32")
            found = products.product(fused.ops, inputs, (matrix, transposed))
            expected = fused.ops.gemm(inputs, matrix, trans2=True)
            numpy.testing.assert_allclose(found, expected, **FLOAT32_ROUNDING, err_msg=str(rows))


def test_the_fused_encoder_finds_the_names_thincs_layers_find():
    nlp = ner.pipeline()
    model = nlp.get_pipe("ner").model
    parts = list(_random_parts(random.Random(7), 200))
    fused = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(parts)]
    model.layers[0] = model.layers[0].attrs["thinc"]
    try:
        plain = [
            [(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(parts)
        ]
    finally:
        encoder.fuse(model)
    assert fused == plain
    assert any(fused)


def test_parts_are_read_as_spacys_pipe_reads_them(monkeypatch):
    """ner reads the parts in the batches the recogniser's pipe makes (by length, a
    quarter of BATCH at a time), with the decoder: the same names as pipe finds, in
    the parts' order, for several counts of parts."""
    nlp = ner.pipeline()
    monkeypatch.setattr(ner, "BATCH", 8)
    parts = list(_parts_with_names(random.Random(11), 40))
    for count in (0, 1, 2, 3, 7, 8, 9, 40):
        piped = nlp.pipe(parts[:count], batch_size=ner.BATCH)
        expected = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in piped]
        assert ner._recognise(parts[:count]) == expected, count
    assert sum(map(len, expected)) > 40


def _parts_with_names(rng, count):
    """Parts with names of many kinds and lengths (people, bodies, dates, sums), white
    space the tokenizer keeps as tokens, and words alone."""
    words = ["the", "Ministry", "of", "Labor", ",", "Migration", "and", "Employment", "said",
             "on", "Monday", "June", "3", ",", "2024", "$", "1.5", "billion", "Ulan",
             "Sarbanov", "Kassym-Jomart", "Tokayev", "met", "Asian", "Development", "Bank",
             "in", "Astana", "\n", " ", "U.S.", "Treasury", "Secretary", "James", "Baker",
             "New", "York", "Stock", "Exchange", "20", "pct", "Inc"]  # fmt: skip
    for _ in range(count):
        yield " ".join(rng.choice(words) for _ in range(rng.randint(1, 16)))


def test_the_decoder_finds_the_names_spacys_decoder_finds():
    """decoder.Decoder, from the same vectors, gives the names the recogniser's predict
    and set_annotations give, with every label, on parts read one, several or many
    at a time."""
    nlp = ner.pipeline()
    recogniser = nlp.get_pipe("ner")
    decoder = ner._decoder()
    assert decoder is not None  # the model is the one it decodes
    rng = random.Random(5)
    labels = set()
    for size in [1] * 30 + [2] * 20 + [5] * 20 + [40] * 3:
        docs = [nlp.make_doc(part) for part in _parts_with_names(rng, size)]
        found = decoder.names(docs, recogniser.model.layers[0].predict(docs))
        recogniser.set_annotations(docs, recogniser.predict(docs))
        expected = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]
        assert found == expected
        labels |= {label for names in expected for *_, label in names}
    assert {"PERSON", "ORG", "GPE", "DATE", "MONEY"} <= labels


def test_a_recogniser_of_another_shape_keeps_spacys_decoder():
    """A model without the output layer the decoder computes: Decoder.of declines."""
    import spacy

    from bulletin.tagging.decoder import Decoder

    nlp = spacy.blank("en")
    recogniser = nlp.add_pipe("ner", config={"model": {"use_upper": False}})
    recogniser.add_label("ORG")
    nlp.initialize()
    assert Decoder.of(recogniser) is None
    assert Decoder.of(ner.pipeline().get_pipe("ner")) is not None


def test_an_encoder_of_another_shape_is_left_to_thinc():
    model = chain(Linear(4, 3), Linear(2, 4))
    first = model.layers[0]
    encoder.fuse(model)
    assert model.layers[0] is first


def test_importing_the_tagger_loads_no_numpy():
    """ner sets one BLAS thread before numpy loads (encoder.py imports numpy only when
    the model loads): loaded earlier, OpenBLAS starts a thread per core, and a
    process pinned to one core (make eval's one-core line) runs ten times slower."""
    check = "import sys, bulletin.tagging; print('numpy' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False", loaded.stderr


def _new_words(rng, count):
    """Words no earlier test made a lexeme of: cased, with digits, punctuation, accents,
    white space of several kinds."""
    letters = ["a", "B", "z", "Q", "é", "Ş", "0", "7", ".", "-", "'", "’", "$", "%", "@"]
    for _ in range(count):
        yield "".join(rng.choice(letters) for _ in range(rng.randint(1, 9)))


def test_new_words_get_the_attributes_the_recogniser_reads_as_spacy_computes_them():
    """pipeline() makes new lexemes with only the attributes the recogniser reads
    (ner._read_only): those are the values spaCy's own getters give, word by word,
    and the names found are those the full model finds."""
    from spacy.attrs import IDS

    nlp = ner.pipeline()
    read = ner._features(nlp.get_pipe("ner").model.layers[0].attrs["thinc"])
    assert set(read) == {"NORM", "PREFIX", "SUFFIX", "SHAPE", "IS_SPACE"}
    assert set(nlp.vocab.lex_attr_getters) == {IDS[name] for name in read}  # in force
    full = __import__(ner.MODEL).load(
        exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
    )
    assert len(full.vocab.lex_attr_getters) > 20
    rng = random.Random(17)
    words = list(_new_words(rng, 3000)) + ["\n", "\u00a0", "  ", "\t", "U.S.", "Ms.", "1.5"]
    assert sum(w not in nlp.vocab for w in words) > 2500  # new lexemes, made here
    columns = [IDS[name] for name in read]
    for word in words:
        got, expected = nlp.vocab[word], full.vocab[word]
        made = nlp.make_doc(word).to_array(columns)
        assert numpy.array_equal(made, full.make_doc(word).to_array(columns)), word
        assert (got.norm, got.prefix, got.suffix, got.shape, got.is_space) == (
            expected.norm, expected.prefix, expected.suffix, expected.shape, expected.is_space
        )  # fmt: skip
    parts = [" ".join(rng.sample(words, 6)) + " said Talant Mamytov" for _ in range(60)]
    parts += list(_parts_with_names(random.Random(23), 60))
    found = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in full.pipe(parts)]
    assert ner._recognise(parts) == found
    assert any(found)


def test_plain_names_slugs_are_pelicans():
    """make_slug's quick way for ASCII words joined by one space or hyphen gives what
    Pelican's slugify gives; on random texts, many of them of that kind."""
    from pelican.utils import slugify

    from bulletin import slugs

    alphabet = ["A", "z", "0", " ", "-", "_", "'", "<b>", "&amp;", ".", "ş", "\t", "  "]
    plain = 0
    for text in _random_texts(alphabet, 20000, 8, seed=3):
        if slugs._PLAIN.fullmatch(text):
            plain += 1
            assert slugs.make_slug(text) == slugify(text, regex_subs=slugs._SUBSTITUTIONS), text
    assert plain > 500
    assert slugs.make_slug("Kassym-Jomart Tokayev") == "kassym-jomart-tokayev"


def test_titles_searched_from_their_first_letters():
    """names._TITLED starts with a lookahead for the titles' first letters: it finds
    what the expression without it finds, on random texts of titles, names and words."""
    lookahead = names.starts_one_of(names._BEFORE_NAMES.split())
    assert lookahead in names._TITLED.pattern
    plain = re.compile(names._TITLED.pattern.replace(lookahead, ""))
    titles = names._BEFORE_NAMES.split()
    words = [*titles, *(t.lower() for t in titles), *(t + "s" for t in titles), "Tokayev",
             "Ⲅⲅ", "Vice", "of", "1", "’", "-", ".", "(", "\n"]  # fmt: skip
    rng = random.Random(19)
    found = 0
    for _ in range(3000):
        text = rng.choice(["", " ", "x"]).join(rng.choice(words) for _ in range(rng.randint(0, 8)))
        expected = [hit.span() for hit in plain.finditer(text)]
        assert [hit.span() for hit in names._TITLED.finditer(text)] == expected, text
        found += len(expected)
    assert found > 500
