"""
Code samples, highlighted on the server.

Pygments turns the code into `<span class="…">` tokens; the colours are in our own stylesheet
(`.highlight` in site.css), so pages need no script and nothing from another host. Pygments
escapes the code as it tokenises it, which is what makes its output safe to mark as HTML.
"""

from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from wagtail import blocks

# Pygments lexer aliases; "text" highlights nothing.
LANGUAGE_CHOICES = [
    ("python", "Python"),
    ("bash", "Bash / shell"),
    ("javascript", "JavaScript"),
    ("typescript", "TypeScript"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("json", "JSON"),
    ("yaml", "YAML"),
    ("sql", "SQL"),
    ("text", "Plain text"),
]
LANGUAGES = frozenset(name for name, _label in LANGUAGE_CHOICES)


def highlight_code(code: str, language: str) -> SafeString:
    """`code` as escaped HTML token spans (no wrapper element), for `<pre class="highlight"><code>`."""
    lexer = get_lexer_by_name(language if language in LANGUAGES else "text")
    return mark_safe(highlight(code, lexer, HtmlFormatter(nowrap=True)))  # noqa: S308 - Pygments escapes the code


class CodeValue(blocks.StructValue):
    @cached_property
    def highlighted_html(self) -> SafeString:
        return highlight_code(self.get("code") or "", self.get("language") or "text")


class CodeBlock(blocks.StructBlock):
    """A code sample with syntax highlighting and an optional caption."""

    language = blocks.ChoiceBlock(
        choices=LANGUAGE_CHOICES, default="python", help_text="Used to colour the code; pick 'Plain text' for output."
    )
    caption = blocks.CharBlock(
        required=False, max_length=200, help_text="Optional line under the code, e.g. 'A minimal Flask app'."
    )
    code = blocks.TextBlock(max_length=10000, help_text="Paste the code as is; indentation is kept.")

    class Meta:
        icon = "code"
        label = "Code"
        template = "blocks/code.html"
        value_class = CodeValue
        description = "A highlighted code sample with an optional caption."
        preview_value = {
            "language": "python",
            "caption": "A minimal Flask app",
            "code": 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\n'
            'def home():\n    return "Hello"\n',
        }

    def get_api_representation(self, value, context=None):
        return {
            "language": value.get("language"),
            "caption": value.get("caption") or "",
            "code": value.get("code"),
            "html": str(value.highlighted_html),
        }

    def get_api_schema(self, default_schema):
        schema = default_schema(self)
        schema["properties"]["html"] = {
            "type": "string",
            "description": "The code as HTML `<span>` tokens with Pygments CSS classes, for `<pre class='highlight'>`.",
        }
        schema["required"].append("html")
        return schema
