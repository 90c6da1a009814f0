"""
Golden JSON contracts: API output compared with expected files kept in `tests/api/expected/`.

    body = Placeholders(origin="http://testserver").normalise(response.json())
    assert_matches_golden("flask_page", body, update=request.config.getoption("--update-golden"))

`Placeholders` replaces what legitimately differs between runs and databases with stable
placeholders, so that every field name, type and fixed value is still compared:

- integer ids: `"id"` is numbered with the ids of its kind, the key that holds its object (`"image"`,
  `"photo"`) or `root` at the top; `"<kind>_id"` keys and API URLs (`/api/v1/pages/6/`) share that
  kind. `"id": 6` at the top of a page becomes `"<page:1>"`, and so does `"page_id": 6` further down;
- UUIDs (section ids), ISO 8601 and HTTP timestamps, ETags: `<uuid:1>`, `<timestamp:1>`, `<etag:1>`,
  `"revision-<revision:1>"`;
- the origin of absolute URLs: `<origin>/services/flask/`;
- the random suffix the file storage adds to a media file whose name is taken: `example_7HX8O2O.jpg`
  becomes `example.jpg`.

Each kind is numbered in order of first appearance in the expected file (keys sorted), so equal
values keep equal placeholders: a page whose `first_published_at` equals its `last_published_at`
shows the same `<timestamp:1>` twice.

`assert_matches_golden` compares the pretty-printed JSON (sorted keys, lists in their order) with
`tests/api/expected/<name>.json` and fails with a unified diff; with `update=True` (pytest
`--update-golden`) it rewrites the file instead, to review and commit like code.
"""

import difflib
import json
import re
from pathlib import Path

import pytest

EXPECTED_DIR = Path(__file__).parent / "expected"
UPDATE_COMMAND = "pytest tests/api/test_golden.py --update-golden"

_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_HTTP_DATE = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$")
_REVISION_ETAG = re.compile(r'^(W/)?"revision-(\d+)"$')
# An id after a collection in an API URL: /api/v1/pages/6/, …/pages/6/revisions/12/.
_API_PATH = re.compile(r"/api/v\d+/[^\s\"'<>?#]*")
_COLLECTION_ID = re.compile(r"(?<=/)([a-z][a-z-]*?)s/(\d+)(?=/|$)")
_MEDIA_PATH = re.compile(r"/media/[^\s\"'<>?#]*")
# Django's storage makes a taken name unique with "_" and 7 random letters or digits before the extension.
_STORAGE_SUFFIX = re.compile(r"_[A-Za-z0-9]{7}(?=\.)")


class Placeholders:
    """Replaces what varies between runs and databases with placeholders numbered in order of first appearance."""

    def __init__(self, *, origin: str = "http://testserver", root: str = "page"):
        self.origin = origin
        self.root = root
        self._numbers: dict[str, dict[object, str]] = {}

    def normalise(self, data):
        """A copy of `data` (JSON: dicts, lists, strings, numbers) with placeholders; objects walked in key order."""
        return self._walk(data, self.root)

    def placeholder(self, kind: str, value) -> str:
        numbers = self._numbers.setdefault(kind, {})
        return numbers.setdefault(value, f"<{kind}:{len(numbers) + 1}>")

    def _walk(self, node, kind: str):
        if isinstance(node, dict):
            return {key: self._member(key, node[key], kind) for key in sorted(node)}
        if isinstance(node, list):
            return [self._walk(item, kind) for item in node]
        if isinstance(node, str):
            return self._string(node)
        return node

    def _member(self, key: str, value, kind: str):
        is_integer = isinstance(value, int) and not isinstance(value, bool)
        if is_integer and key == "id":
            return self.placeholder(kind, value)
        if is_integer and key.endswith("_id"):
            return self.placeholder(key.removesuffix("_id"), value)
        if isinstance(value, str) and key.lower() == "etag":
            return self._etag(value)
        return self._walk(value, key)

    def _etag(self, value: str) -> str:
        if revision := _REVISION_ETAG.match(value):
            return f'{revision[1] or ""}"revision-{self.placeholder("revision", int(revision[2]))}"'
        return self.placeholder("etag", value)

    def _string(self, text: str) -> str:
        if _ISO_TIMESTAMP.match(text) or _HTTP_DATE.match(text):
            return self.placeholder("timestamp", text)
        text = _UUID.sub(lambda match: self.placeholder("uuid", match[0]), text)
        text = _MEDIA_PATH.sub(lambda match: _STORAGE_SUFFIX.sub("", match[0]), text)
        text = _API_PATH.sub(lambda match: _COLLECTION_ID.sub(self._collection_id, match[0]), text)
        return text.replace(self.origin, "<origin>")

    def _collection_id(self, match: re.Match) -> str:
        collection, number = match[1], int(match[2])
        return f"{collection}s/{self.placeholder(collection, number)}"


def dump(data) -> str:
    """The text of an expected file: pretty-printed, keys sorted, non-ASCII kept readable."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def assert_matches_golden(name: str, data, *, update: bool) -> None:
    """Compare `data` with `tests/api/expected/<name>.json`, or rewrite that file when `update` is set."""
    path = EXPECTED_DIR / f"{name}.json"
    actual = dump(data)
    if update:
        path.parent.mkdir(exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != actual:
            path.write_text(actual, encoding="utf-8")
        return
    shown = path.relative_to(EXPECTED_DIR.parents[2])
    if not path.exists():
        pytest.fail(
            f"{shown} does not exist: create it with `{UPDATE_COMMAND}`, then review and commit it.", pytrace=False
        )
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{shown} (expected)",
            tofile=f"{name} (actual)",
        )
        pytest.fail(
            f"The API no longer matches {shown}. If the change is intended (front ends must follow it), "
            f"run `{UPDATE_COMMAND}` and commit the file.\n\n" + "".join(diff),
            pytrace=False,
        )
