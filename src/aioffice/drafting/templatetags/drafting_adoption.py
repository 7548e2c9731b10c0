"""`codes_to_sign user`: the adopted codes open for signature, with what the person's
providers signed of each (the participants' door)."""

from __future__ import annotations

from typing import Any

from django import template

from aioffice.drafting import permissions
from aioffice.drafting.models_adoption import CodeSignature, SignatureOpening

register = template.Library()


@register.simple_tag
def codes_to_sign(user: Any) -> list[dict[str, Any]]:
    providers = permissions.signing_providers(user)
    if not providers.exists():
        return []
    openings = SignatureOpening.objects.select_related("adoption__project").order_by(
        "-opens_on", "-id"
    )[:20]
    signed: dict[int, int] = {}
    for opening_id in CodeSignature.objects.filter(
        opening__in=[o.pk for o in openings], provider__in=providers, withdrawn_on__isnull=True
    ).values_list("opening_id", flat=True):
        signed[opening_id] = signed.get(opening_id, 0) + 1
    return [{"opening": o, "signed": signed.get(o.pk, 0)} for o in openings]
