"""The name recogniser: which parts of a text it reads, and its memo across builds."""

import re
import shutil

from bulletin.seeds.seeds import read_seed
from bulletin.store import Store
from bulletin.tagging import Tagger, ner
from bulletin.tagging.matcher import Match
from bulletin.tags import tagcache
from conftest import FIXTURES, ROOT, build_site

SENTENCE = (
    "After a long and very tiring day of talks in the capital the delegation of "
    "the country met Maulen Ashimbayev and several other officials at the hotel."
)


def recognise(text: str, known: list[Match], memo: ner.Memo | None = None) -> list[ner.Span]:
    memo = {} if memo is None else memo
    parts = ner.parts(text, known)
    ner.read([(parts, memo)])
    return ner.spans(parts, memo)


def windows(text: str, known: list[Match] = ()) -> list[str]:
    covered = ner.covered_mask(text, list(known))
    return [part for _, part in ner._windows(text, 0, covered)]


def test_only_the_words_around_an_unexplained_name_are_read():
    (part,) = windows(SENTENCE)
    assert "Maulen Ashimbayev" in part
    words = part.split()
    at = words.index("Maulen")
    assert at == ner.CONTEXT and len(words) == at + 2 + ner.CONTEXT
    assert SENTENCE.startswith("After") and not part.startswith("After")


def test_a_sentence_the_gazetteers_explain_is_not_read():
    start = SENTENCE.index("Maulen Ashimbayev")
    known = [Match(start, start + len("Maulen Ashimbayev"), "Maulen Ashimbayev", None)]
    assert windows(SENTENCE, known) == []


def test_a_window_never_cuts_a_capitalised_run_or_a_name_with_of():
    text = (
        "Officials said on a quiet Tuesday that the newly founded Congress of Leaders of "
        "World and Traditional Religions would meet again next year in the capital city."
    )
    (part,) = windows(text)
    assert "Congress of Leaders of World and Traditional Religions would" in part


def test_the_model_finds_the_same_names_in_windows_as_in_whole_sentences():
    spans = recognise(SENTENCE, [])
    whole = [e for e in ner.pipeline()(SENTENCE).ents if e.label_ in ner.LABELS]
    assert [(s.start, s.end, s.label) for s in spans] == [
        (e.start_char, e.end_char, e.label_) for e in whole
    ]
    assert [s.text for s in spans] == ["Maulen Ashimbayev"]


def test_the_memo_is_completed_then_used_instead_of_the_model():
    memo = {}
    first = recognise(SENTENCE, [], memo)
    (part,) = memo
    assert memo[part] == tuple(
        (s.start - SENTENCE.index(part), s.end - SENTENCE.index(part), s.label) for s in first
    )
    memo[part] = ((0, len(part.split()[0]), "ORG"),)  # planted: proves the model is not run
    (planted,) = recognise(SENTENCE, [], memo)
    assert (planted.label, planted.text) == ("ORG", part.split()[0])


def test_many_texts_read_together_give_what_each_gives_alone():
    texts = [read_seed(path).text for path in sorted((FIXTURES / "seeds").glob("2024-*.txt"))]
    texts += [SENTENCE, SENTENCE.replace("Maulen Ashimbayev", "Angela Merkel")]
    memos = [{} for _ in texts]
    parts = [ner.parts(text, []) for text in texts]
    ner.read(zip(parts, memos, strict=True))
    alone = [recognise(text, []) for text in texts]
    assert [ner.spans(p, memo) for p, memo in zip(parts, memos, strict=True)] == alone
    assert all(alone)
    tagger = Tagger()
    assert tagger.tag_many(texts) == [tagger.tag(text) for text in texts]


def test_after_an_editorial_edit_the_retag_reads_the_model_memo_of_the_last_build(tmp_path):
    """The tag cache is dropped (new tagger version) but the recogniser's memo
    is kept: a name planted in it shows on the next build."""
    content, seeds = tmp_path / "content", tmp_path / "seeds"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(FIXTURES / "seeds", seeds)
    people_page = build_site(tmp_path, seeds=seeds, PATH=str(content)) / "people/index.html"
    people = people_page.read_bytes()
    (path,) = (tmp_path / "cache" / tagcache.NER_CACHE_DIR).glob("*.store")
    memos = Store(path.parent, path.stem).load()
    assert len(memos) == 3 and all(isinstance(memo, dict) for memo in memos.values())
    planted = set()
    for memo in memos.values():
        for part in memo:
            pairs = list(re.finditer(r"[A-Z][a-z]+ [A-Z][a-z]+", part))
            memo[part] = tuple((p.start(), p.end(), "PERSON") for p in pairs)
            planted |= {p.group() for p in pairs}
    Store(path.parent, path.stem).save(memos)
    assert "State Antony" in planted  # the model does not call it a person

    (content / "entities.yml").write_text("# an editor's note\n", "utf-8")
    output = build_site(tmp_path, seeds=seeds, PATH=str(content))
    assert (output / "person/state-antony/index.html").is_file()

    path.unlink()  # no memo: the model reads every part again
    (content / "entities.yml").write_text("# another note\n", "utf-8")
    build_site(tmp_path, seeds=seeds, PATH=str(content))
    assert people_page.read_bytes() == people


def test_paragraphs_glued_without_a_space_are_read_as_separate_sentences():
    text = "The commission met on Economic Cooperation.Nodira noted the legal basis of it."
    parts = [part for _, part in ner.parts(text, [])]
    assert parts and not any("Cooperation.Nodira" in part for part in parts)
