"""The name recogniser's greedy decoder (en_core_web_sm's transition-based NER) in numpy.

spaCy decodes a batch of parts token by token in C, one small matrix product for all
the parts at each step: for the few short parts of one text, those steps cost a third
of the model's time. Yet while no name is open, the model's state at a token is that
token alone (its features are the token and two padding slots), so `Decoder` scores
every token of the batch in one product, keeps the best valid move of each (out, a
one-word name, or a name's first word), and steps one by one only through the words of
a name once it begins. The same sums in the same order, the same matrix library (blis)
and the same tie-break (the first best move) give the names spaCy's decoder gives
(tests/test_tagging_shortcuts.py).

The model it decodes (checked by `Decoder.of`; any other keeps spaCy's decoder): moves
B-, I-, L-, U- per label and O; three features (the next word, the open name's first
word, the word before the next, each slot padded when absent); two maxout pieces; an
output layer; no unseen classes; no preset names or sentence starts in the docs (the
parts are read as plain text).
"""

from __future__ import annotations

import numpy
from blis.py import gemm
from spacy.attrs import IDX, IS_SPACE, LENGTH

from . import products

# A move's kind: the first letter of its class name ("B-ORG", "O").
BEGIN, IN, LAST, UNIT, OUT = "BILUO"
# What the names are read from: a token's white space, first character and length.
_WORD_ATTRIBUTES = [IS_SPACE, IDX, LENGTH]


class Decoder:
    """Names in docs from the encoder's vectors, as the recogniser's predict and
    set_annotations would find them."""

    def __init__(self, recogniser):
        model = recogniser.model
        lower, upper = model.get_ref("lower"), model.get_ref("upper")
        self._lower = lower
        # The lower layer's product as its forward computes it (thinc's precomputable
        # affine, its padding row aside), without its Model call; from the weights'
        # transpose where numpy's BLAS gives the same sums faster (products.py).
        width = lower.get_dim("nF") * lower.get_dim("nO") * lower.get_dim("nP")
        matrix = lower.get_param("W").reshape((width, lower.get_dim("nI")))
        self._lower_weights = products.weight(lower.ops, matrix)
        self._padding = lower.get_param("pad").reshape(lower.get_dim("nF"), -1)
        self._bias = lower.get_param("b").reshape(-1)
        self._weights = numpy.ascontiguousarray(upper.get_param("W"))
        self._output_bias = upper.get_param("b")
        moves = recogniser.moves
        classes = [moves.get_class_name(i).split("-", 1) for i in range(moves.n_moves)]
        self._moves = [(kind, label[0] if label else "") for kind, *label in classes]
        self._out = self._moves.index((OUT, ""))
        invalid = numpy.float32(-numpy.inf)

        def valid(*allowed) -> numpy.ndarray:
            """0 for the moves allowed (kind, label), -inf for the others."""
            return numpy.array(
                [0 if move in allowed or move[1] and (move[0], "*") in allowed else invalid
                 for move in self._moves],
                dtype="float32",
            )  # fmt: skip

        labels = sorted({label for _, label in self._moves if label})
        # With no name open: out, a one-word name, or (but on the last word) a first word.
        self._closed = valid((OUT, ""), (UNIT, "*"), (BEGIN, "*"))
        self._closed_last = valid((OUT, ""), (UNIT, "*"))
        # With a name open (by the index of its label): its next word or (alone on a
        # doc's last word) its last.
        self._open = numpy.array([valid((IN, label), (LAST, label)) for label in labels])
        self._open_last = numpy.array([valid((LAST, label)) for label in labels])
        self._label_of = numpy.array(
            [labels.index(label) if label else -1 for _, label in self._moves]
        )
        self._begins = numpy.array([kind == BEGIN for kind, _ in self._moves])
        self._lasts = numpy.array([kind == LAST for kind, _ in self._moves])

    @classmethod
    def of(cls, recogniser) -> Decoder | None:
        """The decoder for this recogniser, if its model is the one described above."""
        model = recogniser.model
        try:
            lower, upper = model.get_ref("lower"), model.get_ref("upper")
            shape = (lower.get_dim("nF"), lower.get_dim("nP"), model.attrs["has_upper"])
            unseen = model.attrs["unseen_classes"]
            names = [recogniser.moves.get_class_name(i) for i in range(recogniser.moves.n_moves)]
        except (KeyError, ValueError, AttributeError):
            return None
        kinds = {name.split("-", 1)[0] for name in names}
        if (
            shape != (3, 2, True)
            or unseen
            or recogniser.cfg.get("beam_width") != 1
            or type(recogniser.moves).__name__ != "BiluoPushDown"
            or kinds != set("BILUO")
            or "O" not in names
            or upper.get_dim("nO") != len(names)
            or not lower.has_param("pad")
        ):
            return None
        return cls(recogniser)

    def names(self, docs, vectors: numpy.ndarray) -> list[list[tuple[int, int, str]]]:
        """(start_char, end_char, label) of the names in each doc; vectors: the
        encoder's, the docs' tokens in order."""
        if not len(vectors):
            return [[] for _ in docs]
        # The lower layer's features of each token and the padding.
        lower = products.product(self._lower.ops, vectors, self._lower_weights)
        tokens, padding = lower.reshape(len(lower), 3, -1), self._padding
        sizes = numpy.array([len(doc) for doc in docs])
        ends = numpy.cumsum(sizes)  # each doc's end, in rows
        last = numpy.zeros(len(tokens), dtype=bool)
        last[ends[sizes > 0] - 1] = True
        # Each token's move with no name open (its state: the token, two padding slots);
        # out on white space.
        closed = tokens[:, 0] + padding[1]
        closed += padding[2]
        closed += self._bias
        scores = self._scores(closed)
        moves = numpy.where(
            last,
            numpy.argmax(scores + self._closed_last, axis=1),
            numpy.argmax(scores + self._closed, axis=1),
        )
        words = numpy.concatenate([doc.to_array(_WORD_ATTRIBUTES) for doc in docs])
        moves[words[:, 0].astype(bool)] = self._out
        name_ends = self._name_ends(tokens, moves, ends, last)
        # The names, from the tokens whose move is not out, skipping those in a name.
        starts = numpy.flatnonzero(moves != self._out)
        doc_of = numpy.searchsorted(ends, starts, side="right").tolist()
        moves, starts = moves[starts].tolist(), starts.tolist()
        found: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        after = 0  # the row after the last name
        for row, move, doc in zip(starts, moves, doc_of, strict=True):
            if row < after:
                continue
            kind, label = self._moves[move]
            after = row + 1 if kind == UNIT else name_ends[row]
            first, (idx, length) = int(words[row, 1]), words[after - 1, 1:].tolist()
            found[doc].append((first, idx + length, label))
        return found

    def _name_ends(self, tokens, moves, ends, last) -> dict[int, int]:
        """For each token whose move with no name open is a name's first word: the
        row after the name's last word. With the name open from `first`, the state at a
        later token i is i, first and i - 1 whatever was chosen between: all the rows
        to the end of its doc are scored at once, and the name ends at the first row
        whose best move is its last word (the only move on a doc's last word)."""
        firsts = numpy.flatnonzero(self._begins[moves])
        if not len(firsts):
            return {}
        counts = ends[numpy.searchsorted(ends, firsts, side="right")] - firsts - 1
        starts = numpy.repeat(firsts, counts)
        offsets = numpy.arange(counts.sum()) - numpy.repeat(numpy.cumsum(counts) - counts, counts)
        rows = starts + offsets + 1
        state = tokens[rows, 0] + tokens[starts, 1]
        state += tokens[rows - 1, 2]
        state += self._bias
        scores = self._scores(state)
        labels = numpy.repeat(self._label_of[moves[firsts]], counts)
        allowed = numpy.where(last[rows, None], self._open_last[labels], self._open[labels])
        lasts = self._lasts[numpy.argmax(scores + allowed, axis=1)].tolist()
        name_ends, at = {}, 0
        for first, count in zip(firsts.tolist(), counts.tolist(), strict=True):
            name_ends[first] = first + 2 + lasts.index(True, at, at + count) - at
            at += count
        return name_ends

    def _scores(self, summed: numpy.ndarray) -> numpy.ndarray:
        """The moves' scores from the features' sums: maxout over the two pieces,
        then the output layer (blis, as spaCy's decoder computes it)."""
        pieces = summed.reshape(len(summed), -1, 2)
        hidden = numpy.maximum(pieces[:, :, 0], pieces[:, :, 1])
        scores = gemm(hidden, self._weights, trans2=True, alpha=1.0, beta=0.0)
        scores += self._output_bias
        return scores
