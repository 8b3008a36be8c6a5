from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kehoach.core import tabular
from kehoach.core.scoping import get_for_user_or_404
from kehoach.core.text import fold
from kehoach.documents.models import SourceDocument
from kehoach.documents.tables import documents_table
from kehoach.plans.models import Plan


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    visible_plans = Plan.objects.for_user(request.user)
    documents = SourceDocument.objects.for_user(request.user).annotate(
        cited_by=Count(
            "citations__plan", filter=Q(citations__plan__in=visible_plans), distinct=True
        )
    )
    query = request.GET.get("q", "").strip()
    if query:
        key = fold(query).replace(" ", "")
        documents = documents.filter(Q(number_key__contains=key) | Q(title__icontains=query))
    documents = documents.order_by("-date", "number")
    if fmt := tabular.requested_format(request):
        notes = tabular.notes([(_("Search"), query)] if query else [])
        return tabular.response(documents_table(documents, notes), "van-ban-can-cu", fmt)
    page = Paginator(documents, 50).get_page(request.GET.get("trang"))
    return render(request, "documents/list.html", {"page": page, "q": query})


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_for_user_or_404(SourceDocument, request.user, pk=pk)
    plans = (
        Plan.objects.for_user(request.user)
        .filter(citations__document=document)
        .select_related("unit")
        .distinct()
        .order_by("-date")
    )
    topics = (
        document.citations.filter(topic__isnull=False, plan__in=Plan.objects.for_user(request.user))
        .select_related("topic", "plan")
        .order_by("plan_id", "topic__order")
    )
    return render(
        request,
        "documents/detail.html",
        {"document": document, "plans": plans, "topic_citations": topics},
    )
