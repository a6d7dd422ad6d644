"""Admin forms of labor cooperation: personal data fields that never show more than the user may see."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from labor import services
from labor.models import Placement, Worker
from labor.personal_data import mask_phone


class WorkerAdminForm(forms.ModelForm):
    """The worker form. The ID number and phone are typed in full, but only shown in full to
    users holding ``labor.view_full_id_number``; for others the field starts empty, the help
    text shows the masked value, and an empty field keeps the stored number (typing a new one
    replaces it)."""

    id_number = forms.CharField(label=_("ID number"), max_length=40, required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)

    # Set by the admin (``get_form``): whether the current user may see the numbers in full.
    full_view = False

    class Meta:
        model = Worker
        fields = ["name", "id_number", "hometown", "poverty_alleviated", "monitored_household", "phone", "external_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.pk is not None or bool(self.instance.id_number_cipher)
        if self.full_view:
            if stored:
                self.initial["id_number"] = self.instance.id_number
                self.initial["phone"] = self.instance.phone
        else:
            if stored:
                self.fields["id_number"].help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                    "masked": self.instance.id_number_masked
                }
                masked_phone = mask_phone(self.instance.phone)
                if masked_phone:
                    self.fields["phone"].help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                        "masked": masked_phone
                    }
        if not stored:
            self.fields["id_number"].required = True

    def clean(self):
        cleaned = super().clean()
        id_number = cleaned.get("id_number")
        phone = cleaned.get("phone")
        # An empty field keeps the stored value for users who never saw it; a user who saw the
        # full value and emptied it means to clear it (the model refuses that for the ID number).
        if id_number or self.full_view:
            self.instance.id_number = id_number or ""
        if phone or self.full_view:
            self.instance.phone = phone or ""
        return cleaned


def _placement(data: dict, **known) -> Placement:
    """The placement a form's cleaned data describes (the form fills its instance only after
    ``clean()``)."""
    return Placement(
        destination=data.get("destination"), started_on=data.get("started_on"), ended_on=data.get("ended_on"), **known
    )


def _check_overlap(form: forms.BaseForm, placement: Placement, others=None) -> None:
    """The overlap rule (``services.placement_check``) as the form's error on ``started_on``."""
    try:
        services.placement_check(placement=placement, others=others)
    except ValidationError as exc:
        form.add_error(None, exc)


class PlacementAdminForm(forms.ModelForm):
    """The placement form; checks the overlap rule against the worker's stored placements so
    that the admin shows it as a form error (the service checks it again under a lock)."""

    class Meta:
        model = Placement
        fields = ["worker", "destination", "employer", "position", "started_on", "ended_on", "monthly_wage"]

    def clean(self):
        cleaned = super().clean()
        _check_overlap(self, _placement(cleaned, pk=self.instance.pk, worker=cleaned.get("worker")))
        return cleaned


class PlacementInlineFormSet(forms.BaseInlineFormSet):
    """Checks the overlap rule among the rows of the form (the worker's placements as they are
    to be stored), so the admin shows the error on the row instead of failing at save time."""

    def clean(self):
        super().clean()
        rows = [
            (form, _placement(form.cleaned_data))
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        for index, (form, placement) in enumerate(rows):
            _check_overlap(form, placement, others=[other for _form, other in rows[:index]])
