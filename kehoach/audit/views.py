from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kehoach.accounts import policy
from kehoach.audit import registry
from kehoach.audit.forms import AuditFilterForm
from kehoach.audit.models import AuditEntry
from kehoach.audit.tables import audit_table
from kehoach.core import tabular

PAGE_SIZE = 50


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "audit.view_all"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.for_list()
    if form.is_valid():
        entries = form.apply(entries)
    if fmt := tabular.requested_format(request):
        notes = tabular.notes(tabular.form_filters(form))
        return tabular.response(audit_table(entries, notes), "nhat-ky", fmt)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "audit/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def object_history(request: HttpRequest, ct: int, object_id: str) -> HttpResponse:
    """The history of one object, for whoever may see its history in scope."""
    try:
        content_type = ContentType.objects.get_for_id(ct)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model = content_type.model_class()
    if model is None or not registry.is_audited(model):
        raise Http404
    try:
        # A malformed id in the address is a missing page, not a server error.
        model._meta.pk.to_python(object_id)
    except ValidationError:
        raise Http404 from None
    obj = None
    if not request.user.is_staff:
        manager = model._default_manager
        if not hasattr(manager, "for_user"):
            raise Http404
        obj = manager.for_user(request.user).filter(pk=object_id).first()
        if obj is None:
            raise Http404
        if not policy.can(request.user, "audit.view_history", obj):
            raise PermissionDenied
    entries = AuditEntry.objects.for_list().filter(content_type=content_type, object_id=object_id)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("trang"))
    if obj is None:
        obj = model._default_manager.filter(pk=object_id).first()
    if obj is None and not page.object_list:
        raise Http404
    # A deleted object is still named by its last recorded description.
    label = str(obj) if obj is not None else page.object_list[0].object_repr
    return render(request, "audit/history.html", {"obj": obj, "label": label, "page": page})
