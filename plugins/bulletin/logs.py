"""Loggers and status lines that show on every build."""

from __future__ import annotations

import logging

from pelican.log import console


def every_time_logger(name: str) -> logging.Logger:
    """A logger without Pelican's LimitFilter, which drops any warning already shown
    in this process: under `pelican --autoreload` a bad seed would be named once only.
    `pelican --fatal` still works: it does not rely on the filter."""
    logger = logging.getLogger(name)
    if hasattr(logger, "disable_filter"):
        logger.disable_filter()
    return logger


def status(line: str) -> None:
    """Print a one-line build summary as Pelican prints its own "Done: …" line
    (not a log record, so it never trips `pelican --fatal warnings`)."""
    console.print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)
