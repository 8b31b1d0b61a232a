"""User text on screen: always as text, never as Markdown or HTML.

Titles, descriptions, places, names, notes, comments, summaries and file names come from
people outside the office. Streamlit's st.write/markdown/subheader/caption, widget labels and
alert boxes render Markdown, so `![x](http://…)` in a title would make every reader's browser
fetch an outside address. Pages show such text with `show_text`/`show_field`, and where a
Streamlit call renders Markdown around it (a heading, a button label, a message), they pass it
through `plain` first.
"""

import re

import streamlit as st

from portal.errors import PortalError
from portal.i18n import t

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of
# them also disarms Streamlit's own directives (:red[…], :material/…:, $…$ math).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")
# Streamlit turns bare addresses into links after escapes are resolved; an invisible word
# joiner inside "://", "www." and after "@" keeps them plain text.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def plain(value: object) -> str:
    """`value` as Markdown source that renders as exactly its own characters, on one line."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    text = _AUTOLINK.sub(WORD_JOINER, text)
    return _PUNCTUATION.sub(r"\\\1", text)


def show_text(value: object) -> None:
    """A block of user text, line breaks kept, nothing interpreted."""
    st.text("" if value is None else str(value))


def show_field(label: str, value: object) -> None:
    """`label：value` with the value shown as text (the label comes from the catalogue)."""
    st.text(f"{label}：{'' if value is None else value}")


def message(error: PortalError, lang: str) -> str:
    """A service's message with its parameters (file names, typed numbers …) made plain."""
    params = {k: plain(v) if isinstance(v, str) else v for k, v in error.params.items()}
    return t(error.key, lang, **params)
