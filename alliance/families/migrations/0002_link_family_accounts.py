"""Link existing family records to their guardian's account (Family.account).

Before, a family's account was only set when a signed-in person applied; families who
accepted their invitation later were found by email address. From now on the link is made
when the account takes the family role; this fills it in for the families that already
have an account with the family role in their alliance (same email, any case).
"""

from django.db import migrations


def link(apps, schema_editor):
    Family = apps.get_model("families", "Family")
    Role = apps.get_model("accounts", "Role")
    holders: dict[tuple[int, str], int] = {}
    for alliance_id, user_id, email in (
        Role.objects.filter(kind="family")
        .order_by("pk")
        .values_list("alliance_id", "user_id", "user__email")
    ):
        holders.setdefault((alliance_id, email.strip().lower()), user_id)
    for family in Family.objects.filter(account__isnull=True).exclude(email="").iterator():
        user_id = holders.get((family.alliance_id, family.email.strip().lower()))
        if user_id is not None:
            family.account_id = user_id
            family.save(update_fields=["account"])


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0001_initial"),
        ("accounts", "0003_invitation_language"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
