from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Turn two-factor authentication off for a user who lost their authenticator app, so they can sign in "
        "with their password and set it up again. Check who is asking before running it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist as error:
            raise CommandError(f"There is no user '{username}'.") from error
        removed, _ = TOTPDevice.objects.devices_for_user(user).delete()
        if not removed:
            self.stdout.write(f"'{username}' has no authenticator app; nothing to do.")
            return
        self.stdout.write(
            self.style.SUCCESS(f"Two-factor authentication is off for '{username}'; they can set it up again.")
        )
