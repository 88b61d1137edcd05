"""Background work of the check queue (R10.5): a thin task around ``services.build_bulk_export``."""

from __future__ import annotations

from django_tasks import task


@task()
def build_bulk_export(export_id: int) -> str:
    from admissions.core import clock  # the clock reads settings: kept out of import time
    from admissions.verification import services

    return services.build_bulk_export(export_id=export_id, now=clock.now()).state
