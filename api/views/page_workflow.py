"""Management API: revisions (list, read, compare, revert) and workflow (publish, unpublish, schedule, submit)."""


class PageWorkflowMixin:
    """Revision history and publishing of one page, with the token user's page permissions."""
