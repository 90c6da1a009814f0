"""The infrastructure's own table: the version of each cache tag, which the response cache checks (`core.freshness`)."""

from django.db import models


class TagVersion(models.Model):
    """
    When the content behind a cache tag last changed, as a number from the content clock.

    The row whose tag is `core.freshness.CLOCK` is that clock: every change advances it and gives each
    tag it touches the new number, in the change's own transaction.
    """

    tag = models.CharField(max_length=255, primary_key=True)
    version = models.BigIntegerField()

    def __str__(self):
        return f"{self.tag} @ {self.version}"
