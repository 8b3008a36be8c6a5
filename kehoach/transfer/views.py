"""The administrators' page for moving a ward: export, download, import by upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehoach.org.models import Unit, UnitKind
from kehoach.transfer import services
from kehoach.transfer.forms import ImportForm
from kehoach.transfer.models import Direction, TransferStatus, WardTransfer

RECENT = 50


def _wards():
    return Unit.objects.filter(parent=None).exclude(kind=UnitKind.EXTERNAL).order_by("name")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    services.require_admin(request.user)
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                transfer = services.stage_import(
                    actor=request.user, upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("transfer:status", pk=transfer.pk)
    transfers = WardTransfer.objects.select_related("requested_by", "ward")[:RECENT]
    return render(
        request,
        "transfer/index.html",
        {"form": form, "wards": _wards(), "transfers": transfers},
        status=400 if form.errors else 200,
    )


@login_required
def export(request: HttpRequest, unit_pk: int) -> HttpResponse:
    services.require_admin(request.user)
    ward = get_object_or_404(_wards(), pk=unit_pk)
    if request.method == "POST":
        try:
            transfer = services.request_export(actor=request.user, ward=ward)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("transfer:index")
        return redirect("transfer:status", pk=transfer.pk)
    return render(request, "transfer/export.html", {"ward": ward})


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_admin(request.user)
    transfer = get_object_or_404(WardTransfer.objects.select_related("ward", "requested_by"), pk=pk)
    if request.GET.get("tai") == "1":
        ready = transfer.direction == Direction.EXPORT and transfer.status == TransferStatus.DONE
        if not ready or not transfer.file:
            raise Http404
        return FileResponse(
            transfer.file.open("rb"),
            as_attachment=True,
            filename=transfer.file.name.rsplit("/", 1)[-1],
            content_type="application/zip",
        )
    template = "transfer/_status.html" if request.htmx else "transfer/status.html"
    return render(request, template, {"transfer": transfer})


@login_required
@require_POST
def delete_file(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_admin(request.user)
    transfer = get_object_or_404(WardTransfer, pk=pk)
    services.delete_file(actor=request.user, transfer=transfer)
    messages.success(request, _("The archive file has been deleted from this server."))
    return redirect("transfer:status", pk=transfer.pk)
