"""Matrix products of the name recogniser's layers, the same numbers as thinc's.

thinc's numpy ops compute a layer's product as ops.gemm(inputs, W, trans2=True): numpy
hands BLAS the weights transposed. From the transpose made contiguous once, numpy's
BLAS (OpenBLAS) gives the same sums faster on the recogniser's shapes (a few dozen rows
of a few hundred columns), for any number of rows but one: a single row numpy
multiplies as a matrix-vector product, which sums otherwise, so it keeps thinc's call
(tests/test_tagging_shortcuts.py checks both)."""

from __future__ import annotations

import numpy


def weight(ops, matrix: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray | None]:
    """The matrix for `product`: (matrix, its transpose made contiguous), or (matrix,
    None) if ops do not multiply with numpy's BLAS (blis: thinc's call is kept)."""
    if getattr(ops, "use_blis", True) or getattr(ops, "xp", None) is not numpy:
        return matrix, None
    return matrix, numpy.ascontiguousarray(matrix.T)


def product(ops, inputs: numpy.ndarray, weights: tuple) -> numpy.ndarray:
    """ops.gemm(inputs, matrix, trans2=True) for weights from `weight`: bit for bit
    where the BLAS takes the same kernel for both layouts, else within float32
    rounding (AVX-512 machines: the names found are the same, tests/test_tagging_shortcuts.py)."""
    matrix, transposed = weights
    if transposed is None or len(inputs) < 2:
        return ops.gemm(inputs, matrix, trans2=True)
    return ops.gemm(inputs, transposed)
