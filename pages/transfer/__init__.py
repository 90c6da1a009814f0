"""
Content export and import: `manage.py export_content FILE` and `manage.py import_content FILE`.

The export is one JSON document that a freshly migrated database (SQLite or PostgreSQL) can be
restored from, with every primary key kept:

    {
      "format": "nextbigit-cms-export",
      "version": 1,
      "exported_at": "2025-06-01T09:30:00.123456+00:00",
      "source": {"wagtail": "8.0.1", "database": "postgresql"},
      "revisions": "live and latest",            # or "all" (--all-revisions)
      "users": ["admin", "eddie"],               # accounts the content names; not exported
      "locales": [{"id": 1, "language_code": "en"}],
      "collections": [{"id": 1, "fields": {...}, "view_restrictions": [...]}],
      "images": [{"id": 3, "fields": {...}, "tags": ["team"], "renditions": [{"id": 9, "fields": {...}}]}],
      "documents": [{"id": 1, "fields": {...}, "tags": []}],
      "pages": [
        {
          "id": 5,
          "type": "pages.servicepage",
          "parent": 4,
          "url_path": "/home/services/flask/",
          "fields": {"title": "...", "slug": "flask", "live": true, "go_live_at": null, "expire_at": null,
                     "locale": "en", "owner": "eddie", "sections": "[{\\"type\\": \\"hero\\", ...}]", ...},
          "view_restrictions": [{"id": 1, "fields": {"restriction_type": "password", ...}, "groups": []}],
          "workflow": null,                      # or the name of the workflow attached to this page
          "revisions": [{"id": 12, "created_at": "...", "user": "eddie", "approved_go_live_at": null,
                         "object_str": "...", "content": {...}}]
        }
      ],
      "sites": [{"id": 2, "fields": {"hostname": "localhost", "root_page": 3, ...}}],
      "redirects": [...],
      "leads": [{"id": 1, "fields": {"name": "...", "email": "...", "service": 5, ...}}],
      "snippets": {"pages.calltoaction": [{"id": 1, "fields": {...}, "revisions": [...]}]},
      "settings": {"pages.sitesettings": [{"id": 1, "fields": {..., "social_links": [...]}}],
                   "pages.navigationmenu": [{"id": 1, "fields": {"site": 2, "items": [...]}}]}
    }

`fields` is the object as Wagtail stores it in a revision (`serializable_data()`): every column,
child rows nested, foreign keys as ids; content types, users and locales by name (see `records`).
A page's `fields` are its published state (or its only state, if never published); `revisions`
holds its live revision and, when newer, its latest draft, or every revision with
`--all-revisions`; snippets with revisions likewise. Sections keep their block ids.

Not in the export: image, document and rendition files (back up the media directory or bucket:
the export keeps their names), user accounts, groups and their permissions (create accounts
first to keep authorship; the editorial groups come from `pages.editorial`), workflow
definitions (from migrations and `pages.editorial`; each page's workflow is exported by name),
pages' progress through moderation, comments, the audit log, sessions, and the search and
reference indexes (rebuilt on import).

The version changes whenever an older import could not read a newer export correctly; an import
refuses any version but its own.
"""

from .document import FORMAT, VERSION, ExportEncoder, TransferError
from .export import export_content
from .import_ import ImportReport, content_in_database, import_content

__all__ = [
    "FORMAT",
    "VERSION",
    "ExportEncoder",
    "ImportReport",
    "TransferError",
    "content_in_database",
    "export_content",
    "import_content",
]
