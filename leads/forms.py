from django import forms

from .lead import Lead


class LeadForm(forms.ModelForm):
    """The contact form. `website` is a honeypot: hidden from people, filled in by naive bots."""

    website = forms.CharField(required=False, label="Leave this field empty")
    consent = forms.BooleanField(
        required=True,
        label="I agree that NextBigIt stores this message and contacts me about it.",
        error_messages={"required": "Please tick the box so we may store your message and reply."},
    )

    class Meta:
        model = Lead
        fields = ["name", "email", "company", "budget", "message", "consent"]
        labels = {"email": "E-mail", "company": "Company (optional)", "budget": "Budget range"}
        error_messages = {
            "name": {"required": "Please tell us your name."},
            "email": {
                "required": "Please give an e-mail address we can reply to.",
                "invalid": "Enter a valid e-mail address, like name@example.com.",
            },
            "message": {"required": "Please tell us a little about your project."},
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
            "message": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        for name, field in self.fields.items():
            if field.required and name != "consent":
                field.widget.attrs["required"] = True
            if self.errors.get(name):
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = f"{name}-error"

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
