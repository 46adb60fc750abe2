"""Link every job on a profile (alumni.Employment) to the organisation its employer name means, in batches: the
backfill after the careers app arrives, and a repair after bulk changes made without signals (an import)."""

from django.core.management.base import BaseCommand

from alumni.models import Employment
from careers.organisations import employments_link, organisation_keys


class Command(BaseCommand):
    help = "Link jobs on profiles to the organisations their employer names mean (no organisation is created)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="Jobs read and linked per batch.")

    def handle(self, *args, batch_size: int, **options):
        keys = organisation_keys()
        linked = unlinked = seen = 0
        last = None
        while True:
            # Keyset pages on the primary key: each batch one query, whatever the table's size.
            page = Employment.objects.order_by("pk").only("pk", "employer")
            if last is not None:
                page = page.filter(pk__gt=last)
            batch = list(page[:batch_size])
            if not batch:
                break
            a, b = employments_link(batch, keys=keys)
            linked, unlinked, seen, last = linked + a, unlinked + b, seen + len(batch), batch[-1].pk
        self.stdout.write(self.style.SUCCESS(
            f"{seen} jobs read: {linked} linked to an organisation, {unlinked} unlinked."
        ))
