"""The classes the shared form mixin gives widgets keep every control visible: ECL's own
checkbox and radio input classes clip the native control to 1 px for a box drawn by label
markup that core/form.html does not render."""

from __future__ import annotations

from django import forms

from aioffice.core.forms import EclFormMixin


class _Form(EclFormMixin, forms.Form):
    public = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )


def test_no_control_gets_a_class_that_hides_it() -> None:
    html = str(_Form())
    assert "ecl-checkbox__input" not in html
    assert "ecl-radio__input" not in html
    assert 'class="aio-checkbox"' in html
