"""Command-line tasks: `flask seed-demo`, `flask create-admin`."""

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Create the demo studios and users (idempotent)."""
        from app.demo import DEMO_PASSWORD, seed_demo

        created = seed_demo()
        click.echo("Demo data " + ("created." if created else "already present."))
        click.echo(f"Demo logins (password {DEMO_PASSWORD}):")
        for email, what in (
            ("owner@example.com", "studio 1 owner"),
            ("manager@example.com", "studio 1 manager"),
            ("member@example.com", "studio 1 member"),
            ("owner2@example.com", "studio 2 owner"),
            ("admin@example.com", "platform admin"),
        ):
            click.echo(f"  {email:<24} {what}")

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.password_option()
    def create_admin(email, password):
        """Create a platform admin (or promote an existing user)."""
        from app.auth.models import User
        from app.auth.services import find_user_by_email, set_password
        from app.extensions import db

        user = find_user_by_email(email)
        if user is None:
            user = User(email=email.strip().lower(), first_name="Admin", last_name="")
            set_password(user, password, check_history=False)
            db.session.add(user)
        user.is_platform_admin = True
        db.session.commit()
        click.echo(f"{user.email} is a platform admin.")
