"""The admin's "Import article" form: an article file and the page details the importer cannot guess."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator

from pages.importers.decoding import MAX_ARTICLE_BYTES

ARTICLE_EXTENSIONS = ["txt", "md", "markdown"]


class ArticleUploadForm(forms.Form):
    file = forms.FileField(
        label="Article",
        help_text="Plain text (.txt) or Markdown (.md), preferably UTF-8, at most 1 MB.",
        validators=[
            FileExtensionValidator(
                ARTICLE_EXTENSIONS,
                message="Upload a plain-text (.txt) or Markdown (.md) file, not a .%(extension)s file.",
            )
        ],
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,text/plain,text/markdown"}),
    )
    title = forms.CharField(
        max_length=255,
        required=False,
        help_text="E.g. 'Django development services'. Leave empty to use a Markdown article's '# Title'.",
    )
    slug = forms.SlugField(
        max_length=255,
        required=False,
        allow_unicode=True,
        help_text="The last part of the page's address, e.g. 'django'. Leave empty to make it from the title.",
    )
    summary = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For listings and search results. Leave empty to use the article's first sentence.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ARTICLE_BYTES:
            raise ValidationError(
                f"This file is {upload.size:,} bytes; an article may be at most {MAX_ARTICLE_BYTES:,} bytes (1 MB)."
            )
        return upload
