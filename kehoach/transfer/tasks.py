from django_tasks import task


@task()
def export_ward_task(transfer_id: int) -> None:
    from kehoach.transfer.services import run_export

    run_export(transfer_id)


@task()
def import_ward_task(transfer_id: int) -> None:
    from kehoach.transfer.services import run_import

    run_import(transfer_id)
