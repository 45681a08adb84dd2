"""The name recogniser's token encoder (en_core_web_sm's NER tok2vec) as one function.

thinc runs the encoder as some sixty nested layers, each a Python call, with lists
and padding rebuilt between them; for the few short parts of one text, that overhead
cost about as much as the arithmetic. `encode` makes the same arithmetic on the same
numbers in the same order (thinc's matrix products, from the weights transposed once
as products.py makes them, and hashes; numpy for the rest, where thinc's typed
functions cost more to call than to run), so its vectors are bitwise thinc's
(tests/test_tagging_shortcuts.py), in about a third less time.

The encoder it replaces (checked by `fuse` when the model loads; any other shape
keeps thinc's layers):
  features NORM, PREFIX, SUFFIX, SHAPE → four hash embeddings, concatenated
  → maxout, layer norm → 4 × residual(window of 1 either side → maxout, layer norm),
  run with 4 zero rows around each part → linear.
"""

from __future__ import annotations

import numpy
from thinc.api import Model

from . import products

PAD = 4  # zero rows around each part in the residual layers (their receptive field)


def fuse(parser_model: Model) -> None:
    """Replace the NER model's encoder by `encode` if it is the one described above."""
    encoder = parser_model.layers[0]
    weights = _weights(encoder)
    if weights is None:
        return
    fused = Model("fused_tok2vec", _forward, attrs={"weights": weights, "thinc": encoder})
    fused.ops = encoder.ops
    parser_model.layers[0] = fused


def encode(encoder: Model, docs) -> numpy.ndarray:
    """The encoder's vectors for the docs' tokens, one row per token, docs in order."""
    return _encode(encoder.attrs["weights"], encoder.ops, docs)


def _forward(model: Model, docs, is_train: bool):
    if is_train or not docs or any(len(doc) == 0 for doc in docs):
        return model.attrs["thinc"](docs, is_train)  # what the fused path does not cover
    return _encode(model.attrs["weights"], model.ops, docs), _no_backprop


def _no_backprop(_gradient):
    raise NotImplementedError("the fused encoder only predicts")


def _encode(weights: dict, ops, docs) -> numpy.ndarray:
    features = numpy.concatenate([doc.to_array(weights["columns"]) for doc in docs])
    # Each hash embedding: the sum of the four rows the hashes pick, added in order
    # as thinc's gather_add adds them (numpy's sum along a middle axis goes row by
    # row), without the dispatch of its typed function.
    embedded = numpy.hstack(
        [
            numpy.add.reduce(
                table.take(
                    ops.hash(ops.as_contig(features[:, c], dtype="uint64"), seed) % len(table),
                    axis=0,
                ),
                axis=1,
            )
            for c, table, seed in weights["embeddings"]
        ]
    )
    hidden = _maxout_norm(ops, embedded, weights["mix"])
    # The residual layers see each part with PAD zero rows before it and after the last.
    lengths = [len(doc) for doc in docs]
    tokens = numpy.ones(sum(lengths) + PAD * (len(docs) + 1), dtype=bool)
    start = 0
    for length in lengths:
        tokens[start : start + PAD] = False
        start += PAD + length
    tokens[start:] = False
    padded = numpy.zeros((len(tokens), hidden.shape[1]), dtype=hidden.dtype)
    padded[tokens] = hidden
    # Each residual layer reads the rows' window (thinc's seq2col with a window of 1:
    # each row beside the one before and the one after it, zeros beyond the ends), in
    # one array made for all of them.
    width = hidden.shape[1]
    window = numpy.empty((len(tokens), 3 * width), dtype=hidden.dtype)
    window[0, :width] = 0
    window[-1, 2 * width :] = 0
    for layer in weights["residual"]:
        window[1:, :width] = padded[:-1]
        window[:, width : 2 * width] = padded
        window[:-1, 2 * width :] = padded[1:]
        padded += _maxout_norm(ops, window, layer)
    projection, bias = weights["linear"]
    output = products.product(ops, padded[tokens], projection)
    output += bias
    return output


def _maxout_norm(ops, inputs, layer):
    """thinc's maxout then layernorm, operation for operation."""
    weight, bias, n_out, pieces, gain, shift = layer
    scores = products.product(ops, inputs, weight)
    scores += bias
    # The largest of each unit's pieces (numpy's maximum: exact, as thinc's maxout;
    # its typed function's dispatch cost more than the comparisons).
    by_piece = scores.reshape(scores.shape[0], n_out, pieces)
    best = numpy.maximum(by_piece[:, :, 0], by_piece[:, :, 1])
    for piece in range(2, pieces):
        numpy.maximum(best, by_piece[:, :, piece], out=best)
    # best.mean and best.var, as numpy computes them (sums divided by the width), with
    # the deviations computed once, in place.
    width = numpy.intp(best.shape[1])
    mean = numpy.add.reduce(best, axis=1, keepdims=True)
    numpy.true_divide(mean, width, out=mean, casting="unsafe")
    best -= mean
    variance = numpy.add.reduce(best * best, axis=1, keepdims=True)
    numpy.true_divide(variance, width, out=variance, casting="unsafe")
    variance += 1e-08
    best *= variance ** (-1.0 / 2.0)
    best *= gain
    best += shift
    return best


def _weights(encoder: Model) -> dict | None:
    """The encoder's parameters, if its layers are the ones `encode` computes."""
    layers = list(encoder.walk())
    names = [layer.name for layer in layers]
    by_name = {name: [layer for layer in layers if layer.name == name] for name in set(names)}
    expected = {
        "extract_features": 1, "hashembed": 4, "maxout": 5, "layernorm": 5,
        "expand_window": 4, "residual(expand_window>>maxout>>layernorm>>dropout)": 4,
        "linear": 1, "list2ragged": 1, "ragged2list": 1, "list2array": 1,
    }  # fmt: skip
    if any(len(by_name.get(name, ())) != count for name, count in expected.items()):
        return None
    windows = [layer.attrs.get("window_size") for layer in by_name["expand_window"]]
    pads = [layer.attrs.get("pad") for layer in layers if layer.name.startswith("with_array(")]
    inputs = [layer.get_dim("nI") for layer in by_name["maxout"]]
    pieces = [layer.get_dim("nP") for layer in by_name["maxout"]]
    width = by_name["maxout"][0].get_dim("nO")
    if (
        windows != [1] * 4
        or sorted(pads) != [0, 0, PAD]
        or inputs != [4 * width] + [3 * width] * 4
        or min(pieces) < 2
    ):
        return None
    maxouts = [
        (
            products.weight(encoder.ops, m.get_param("W").reshape(-1, m.get_dim("nI"))),
            m.get_param("b").reshape(-1),
            m.get_dim("nO"),
            m.get_dim("nP"),
            n.get_param("G"),
            n.get_param("b"),
        )
        for m, n in zip(by_name["maxout"], by_name["layernorm"], strict=True)
    ]
    linear = by_name["linear"][0]
    return {
        "columns": by_name["extract_features"][0].attrs["columns"],
        "embeddings": [
            (h.attrs["column"], h.get_param("E"), h.attrs["seed"]) for h in by_name["hashembed"]
        ],
        "mix": maxouts[0],
        "residual": maxouts[1:],
        "linear": (products.weight(encoder.ops, linear.get_param("W")), linear.get_param("b")),
    }
