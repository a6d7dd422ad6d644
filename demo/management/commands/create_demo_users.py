"""Create one demo user per role and print the logins."""

from django.core.management.base import BaseCommand

from demo.users import demo_users_ensure


class Command(BaseCommand):
    help = "Create (or reset) one demo user per role and print their logins and API tokens."

    def handle(self, *args, **options):
        self.stdout.write("Demo logins (http://127.0.0.1:8000/admin/):")
        for username, password, role, token in demo_users_ensure():
            self.stdout.write(f"  {username:<9} password {password:<20} role: {role:<16} API token: {token}")
