"""`manage.py create_api_token USERNAME [--name NAME]`: create a management API token and print it, once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.log_actions import log
from wagtail.models import APIToken


class Command(BaseCommand):
    help = "Create an API token acting as USERNAME. The token is printed once; only its digest is stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Command-line token", help="A label to recognise the token by.")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"{username!r} is inactive; an inactive user's token would be refused.")
        token, plaintext = APIToken.create_token(user=user, name=name)
        log(token, "wagtail.apitoken.create", data={"source": "management_command"})
        self.stderr.write(f"Token {token} for {username}. Store it now: it cannot be shown again.")
        self.stdout.write(plaintext)
