"""Path converters of the evaluations pages: `<record_id:name>` is a database id."""

from django.urls import register_converter

from aioffice.core.schemas import MAX_ID


class RecordId:
    """A record's id in a path: a positive integer the database can hold (a larger one
    matches nothing, so the page is a 404, not an overflow in the query)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordId, "record_id")
