import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure an admin account exists. If there is no superuser, create 'admin' with the password in "
        "DJANGO_SUPERUSER_PASSWORD, or a random one printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account already exists; leaving it alone.")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username="admin", email="", password=password)
        if os.environ.get("DJANGO_SUPERUSER_PASSWORD"):
            self.stdout.write(
                self.style.SUCCESS("Created admin user 'admin' with the password from DJANGO_SUPERUSER_PASSWORD.")
            )
            return
        banner = "=" * 64
        self.stdout.write(
            self.style.WARNING(
                f"\n{banner}\n  Admin account created. This password is shown only once:\n\n"
                f"    username: admin\n    password: {password}\n\n"
                f"  Log in at http://127.0.0.1:8000/admin/ and change it.\n{banner}\n"
            )
        )
