"""Checks that no markup from a seed became markup in a built site."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
from lxml import etree

MARKER = "pwned"  # every piece of hostile markup in the test seeds carries it
# Attribute values in that markup: were any of it parsed as markup, an attribute
# would hold one of them (escaped text in an attribute never equals one).
INJECTED_VALUES = {"pwned", "pwned(1)", "pwned(3)", "javascript:pwned(4)"}
# Feed elements holding HTML (and Atom elements of type="html").
HTML_IN_XML = {"description", "encoded", "summary", "content"}
ATOM = "{http://www.w3.org/2005/Atom}"


def assert_no_markup_from_seeds(output: Path) -> int:
    """Check every HTML, XML or OPML (strictly parsed) and JSON file; return how many."""
    checked = 0
    for path in sorted(output.rglob("*")):
        where = str(path.relative_to(output))
        if path.suffix == ".html":
            _check_html(lxml.html.parse(path).getroot(), where)
        elif path.suffix in (".xml", ".opml"):
            _check_xml(etree.parse(path).getroot(), where)  # a CDATA breakout fails here
        elif path.suffix == ".json":
            _check_json(json.loads(path.read_bytes()), where)
        else:
            continue
        checked += 1
    return checked


def _check_html(root, where):
    for element in root.iter():
        if not isinstance(element.tag, str):  # a comment or processing instruction
            assert MARKER not in (element.text or ""), where
            continue
        assert MARKER not in element.tag, where
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, element.tag, name)
            # (a <meta> of the <head> carries a post's lead, which may be just "pwned")
            in_head = element.tag == "meta" and element.getparent().tag == "head"
            assert in_head or value.strip() not in INJECTED_VALUES, (where, element.tag, name)
            assert not value.strip().lower().startswith("javascript:"), (where, element.tag)
        if element.tag == "script" and element.get("type") == "application/ld+json":
            # seed text is data here: JSON with "<" escaped, so it cannot close the script
            assert "<" not in element.text and json.loads(element.text), where
        elif element.tag in ("script", "style"):
            assert MARKER not in (element.text or ""), where


def _check_json(value, where, key=""):
    if isinstance(value, dict):
        for name, item in value.items():
            _check_json(item, where, name)
    elif isinstance(value, list):
        for item in value:
            _check_json(item, where, key)
    elif isinstance(value, str) and key.endswith("html") and value.strip():
        _check_html(lxml.html.fragment_fromstring(value, create_parent="div"), where)


def _check_xml(root, where):
    for element in root.iter(etree.Element):
        assert MARKER not in etree.QName(element).localname, where
        assert not set(element.attrib.values()) & INJECTED_VALUES, where
        is_html = etree.QName(element).localname in HTML_IN_XML
        if (is_html or element.get("type") == "html") and (element.text or "").strip():
            _check_html(lxml.html.fragment_fromstring(element.text, create_parent="div"), where)


def atom_titles(path: Path) -> list[str]:
    """The entry titles of an Atom feed as text (a type="html" title is HTML)."""
    return [
        lxml.html.fragment_fromstring(title.text, create_parent="div").text_content()
        if title.get("type") == "html"
        else title.text
        for title in etree.parse(path).iterfind(f"{ATOM}entry/{ATOM}title")
    ]
