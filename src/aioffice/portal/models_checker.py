"""The compliance checker stores nothing about a visitor, except when they ask to receive
the result by e-mail: then this row, until it is sent and for the retention period."""

from __future__ import annotations

from django.db import models


class CheckerEmail(models.Model):
    email = models.EmailField()
    flow = models.CharField(max_length=40)
    result_path = models.TextField()
    language = models.CharField(max_length=2, default="en")
    requested_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.flow} {self.requested_at:%Y-%m-%d}"
