"""
Read an uploaded article's bytes as text.

UTF-8 (with or without a byte order mark) is read as is, and so is UTF-16 with its byte order
mark (what Windows Notepad calls "Unicode"). Anything else is read as Windows-1252, the usual
encoding of older Windows text files, with a warning: a file in another legacy encoding would
show the wrong accented letters, so the editor is told to check them.
"""

import codecs
import unicodedata

from .errors import EmptyArticle, UnreadableArticle

MAX_ARTICLE_BYTES = 1024 * 1024
# Line breaks, tabs and form feeds are expected in text; other control characters mean a binary file.
_TEXT_CONTROL_CHARACTERS = {"\n", "\r", "\t", "\f"}

NOT_TEXT_MESSAGE = "This is not a text file. Upload the article as plain text (.txt) or Markdown (.md)."
FALLBACK_ENCODING_WARNING = (
    "The file is not UTF-8, so it was read as Windows-1252 (Western European). "
    "Check quotes, dashes and accented letters in the editor."
)


def decode_article(data: bytes | str) -> tuple[str, list[str]]:
    """The article's text and any warnings about how it was read; `UnreadableArticle` if it is not text."""
    size = len(data.encode()) if isinstance(data, str) else len(data)
    if size > MAX_ARTICLE_BYTES:
        raise UnreadableArticle(
            f"The file is {size:,} bytes; an article may be at most {MAX_ARTICLE_BYTES:,} bytes (1 MB)."
        )
    text, warnings = (data, []) if isinstance(data, str) else _decode(data)
    if not text.strip():
        raise EmptyArticle("The file is empty: there is no article to import.")
    if any(unicodedata.category(char) == "Cc" and char not in _TEXT_CONTROL_CHARACTERS for char in text):
        raise UnreadableArticle(NOT_TEXT_MESSAGE)
    return text, warnings


def _decode(data: bytes) -> tuple[str, list[str]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as error:
            raise UnreadableArticle("The file says it is UTF-16 but cannot be read as such.") from error
    if b"\x00" in data:
        raise UnreadableArticle(NOT_TEXT_MESSAGE)  # before a fallback encoding reads any bytes at all as text
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), [FALLBACK_ENCODING_WARNING]
    except UnicodeDecodeError as error:
        raise UnreadableArticle(
            "The file's text encoding is not one we can read. Save it as UTF-8 and upload it again."
        ) from error
