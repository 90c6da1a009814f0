from django.db import models


class Lead(models.Model):
    """A visitor's enquiry from the contact form. Stored before anything else happens to it."""

    BUDGETS = [
        ("unsure", "Not sure yet"),
        ("under-10k", "Under €10,000"),
        ("10k-25k", "€10,000–25,000"),
        ("25k-50k", "€25,000–50,000"),
        ("50k-plus", "Over €50,000"),
    ]

    name = models.CharField(max_length=120)
    email = models.EmailField("e-mail")
    company = models.CharField(max_length=120, blank=True)
    budget = models.CharField("budget range", max_length=20, choices=BUDGETS, default="unsure")
    message = models.TextField(max_length=5000)
    consent = models.BooleanField(
        "consent to be contacted", help_text="The visitor agreed that we store this and reply to them."
    )
    service = models.ForeignKey(
        "pages.ServicePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        help_text="The service page the visitor came from, if any.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField(null=True, blank=True, help_text="When the notification e-mail went out.")
    notification_error = models.CharField(max_length=500, blank=True)

    class Meta:
        # Created by the pages app before leads had an app of its own; the table kept its name.
        db_table = "pages_lead"
        ordering = ["-created_at"]
        verbose_name = "lead"

    def __str__(self):
        return f"{self.name} <{self.email}>"
