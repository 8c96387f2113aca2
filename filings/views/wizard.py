"""The filing wizard: one page per step, saved to the database on every change (htmx autosave) and
on leaving the step, so a draft survives logout; a preview; submission with every problem listed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError, StaleVersion, ValidationFailed
from accounts.models import User
from accounts.views.access import provider_required
from filings.fields import FIELDS, PUBLIC_KEYS, STEP_NAMES, STEPS, derived_public_opinion, missing_and_invalid
from filings.forms import FilingDocumentForm, ProductFormSet, products_from, step_form_class
from filings.models import Filing, FilingVersion
from filings.selectors import current_attachments, filing_duplicates, filing_get_visible
from filings.services.common import open_version
from filings.services.drafts import filing_attachment_add, filing_create, filing_save
from filings.services.submission import filing_submit
from filings.views.presenters import describe, display_rows, step_status
from filings.workflow import REQUIRED_ATTACHMENTS, VersionStatus


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _draft(request: HttpRequest, filing_id: int) -> tuple[Filing, FilingVersion | None]:
    filing = filing_get_visible(user=request.user, filing_id=filing_id)
    version = open_version(filing)
    if version is not None and version.status != VersionStatus.DRAFT:
        version = None
    return filing, version


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@provider_required
def filing_new_view(request: HttpRequest) -> HttpResponse:
    """Start a draft; the name may come later."""
    if request.method == "POST":
        try:
            result = filing_create(actor=_user(request), data={"name": request.POST.get("name", "")}, strict=False)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("filings:list")
        return redirect("filings:step", filing_id=result.filing.pk, step="basic")
    return render(request, "filings/new.html")


def _stored_as_form_data(step: str, stored: dict[str, Any], *, extra_product: bool = False) -> MultiValueDict[str, Any]:
    """The draft as if it had just been posted, so stored (even invalid) values and their errors show."""
    data: MultiValueDict[str, Any] = MultiValueDict()
    for spec in FIELDS:
        if spec.step != step or spec.kind == "products":
            continue
        value = stored.get(spec.key)
        if isinstance(value, list):
            data.setlist(spec.key, [str(v) for v in value])
        elif value not in (None, ""):
            data[spec.key] = str(value)
    if step == "service":
        products = [p for p in stored.get("products") or [] if isinstance(p, dict)]
        if extra_product or not products:
            products.append({})
        data["products-TOTAL_FORMS"] = str(len(products))
        data["products-INITIAL_FORMS"] = "0"
        for index, product in enumerate(products):
            for key, value in product.items():
                data[f"products-{index}-{key}"] = "" if value is None else str(value)
    return data


def _forms(step: str, data: Any, version: FilingVersion) -> tuple[Any, Any]:
    form = step_form_class(step)(data)
    products = ProductFormSet(data, prefix="products") if step == "service" else None
    form.is_valid()
    if products is not None:
        products.is_valid()
    return form, products


def _apply_errors(form: Any, products: Any, errors: dict[str, list[str]]) -> None:
    for key, messages_ in errors.items():
        if key in form.fields:
            for message in messages_:
                form.add_error(key, message)
        elif products is not None and key.startswith("products."):
            _prefix, index, field = key.split(".", 2)
            if int(index) < len(products.forms) and field in products.forms[int(index)].fields:
                for message in messages_:
                    products.forms[int(index)].add_error(field, message)
    form._style()
    if products is not None:
        for product_form in products.forms:
            product_form._style()


def _save(request: HttpRequest, filing: Filing, step: str, form: Any, products: Any) -> dict[str, list[str]]:
    if not form.is_valid() or (products is not None and not products.is_valid()):
        return {}
    data = form.service_data()
    if products is not None:
        data["products"] = products_from(products)
    result = filing_save(
        filing_id=filing.pk,
        actor=_user(request),
        data=data,
        expected_version=_int(request.POST.get("version")),
        strict=False,
    )
    return result.errors


@provider_required
def filing_step_view(request: HttpRequest, filing_id: int, step: str) -> HttpResponse:
    filing, version = _draft(request, filing_id)
    if step not in STEP_NAMES or version is None:
        return redirect("filings:detail", filing_id=filing.pk)
    if request.method == "POST":
        form, products = _forms(step, request.POST, version)
    else:
        stored = _stored_as_form_data(step, version.data, extra_product=bool(request.GET.get("add")))
        form, products = _forms(step, stored, version)
    status = 200
    if request.method == "POST":
        try:
            errors = _save(request, filing, step, form, products)
        except StaleVersion as exc:
            messages.error(request, exc.message)
            status = 409
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = 400
        else:
            target = request.POST.get("goto", "")
            if "add_product" in request.POST:
                return redirect(f"{request.path}?add=1#products")
            if target == "preview":
                return redirect("filings:preview", filing_id=filing.pk)
            if target in STEP_NAMES and (target != step or not errors):
                return redirect("filings:step", filing_id=filing.pk, step=target)
            if errors:
                _apply_errors(form, products, errors)
                status = 400
            else:
                messages.success(request, _("Saved."))
                return redirect("filings:step", filing_id=filing.pk, step=step)
        filing.refresh_from_db()
    else:
        _apply_errors(form, products, _invalid_only(version.data, step))
        if products is not None and request.GET.get("add"):
            products = ProductFormSet(initial=[*(p for p in version.data.get("products") or []), {}], prefix="products")
    return render(request, "filings/step.html", _step_context(filing, version, step, form, products), status=status)


def _invalid_only(data: dict[str, Any], step: str) -> dict[str, list[str]]:
    """On arrival, flag what is invalid; what is merely empty is listed at the preview."""
    present = {k: v for k, v in data.items() if v not in ("", None, [])}
    problems = missing_and_invalid(data, steps=(step,))
    return {k: v for k, v in problems.items() if k.split(".", 1)[0] in present}


def _step_context(filing: Filing, version: FilingVersion, step: str, form: Any, products: Any) -> dict[str, Any]:
    index = STEP_NAMES.index(step)
    context: dict[str, Any] = {
        "filing": filing,
        "version": version,
        "step": step,
        "step_label": dict(STEPS)[step],
        "steps": step_status(version.data, current_attachments(filing), current=step),
        "previous_step": STEP_NAMES[index - 1] if index > 0 else None,
        "next_step": STEP_NAMES[index + 1] if index + 1 < len(STEP_NAMES) else None,
        "form": form,
        "products": products,
    }
    if step == "tiering":
        context["derived_public_opinion"] = derived_public_opinion(version.data)
    if step == "documents":
        context["attachments"] = current_attachments(filing)
        context["document_form"] = FilingDocumentForm()
        context["required_documents"] = [kind.value for kind in REQUIRED_ATTACHMENTS]
    return context


@provider_required
@require_POST
def filing_autosave_view(request: HttpRequest, filing_id: int, step: str) -> HttpResponse:
    """htmx: save the step as typed and answer with a status line and the new version number."""
    filing, version = _draft(request, filing_id)
    if step not in STEP_NAMES or version is None:
        return render(
            request, "filings/_autosave.html", {"error": _("This filing can no longer be edited.")}, status=409
        )
    form, products = _forms(step, request.POST, version)
    try:
        errors = _save(request, filing, step, form, products)
    except ApplicationError as exc:
        return render(request, "filings/_autosave.html", {"error": exc.message}, status=409)
    filing.refresh_from_db()
    context = {"filing": filing, "saved_at": timezone.localtime(), "problems": len(errors)}
    return render(request, "filings/_autosave.html", context)


@provider_required
def filing_documents_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    filing, version = _draft(request, filing_id)
    if version is None or request.method != "POST":
        return redirect("filings:step", filing_id=filing.pk, step="documents")
    form = FilingDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            filing_attachment_add(
                filing_id=filing.pk,
                actor=_user(request),
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data.get("file"),
            )
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("filings:step", filing_id=filing.pk, step="documents")
    step_form, products = _forms("documents", _stored_as_form_data("documents", version.data), version)
    context = _step_context(filing, version, "documents", step_form, products)
    context["document_form"] = form
    return render(request, "filings/step.html", context, status=400)


def preview_context(filing: Filing, version: FilingVersion) -> dict[str, Any]:
    attachments = current_attachments(filing)
    problems = missing_and_invalid(version.data)
    for kind in REQUIRED_ATTACHMENTS:
        if kind.value not in attachments:
            problems[f"attachments.{kind.value}"] = [_("Upload the %(document)s.") % {"document": kind.label}]
    return {
        "filing": filing,
        "version": version,
        "sections": display_rows(version.data),
        "public_rows": [row for section in display_rows(version.data, keys=PUBLIC_KEYS) for row in section["rows"]],
        "attachments": attachments,
        "problems": describe(problems),
        "steps": step_status(version.data, attachments, current="preview"),
        "duplicates": filing_duplicates(filing)[:5],
    }


@provider_required
def filing_preview_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    filing, version = _draft(request, filing_id)
    if version is None:
        return redirect("filings:detail", filing_id=filing.pk)
    return render(request, "filings/preview.html", preview_context(filing, version))


@provider_required
@require_POST
def filing_submit_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    filing, version = _draft(request, filing_id)
    if version is None:
        return redirect("filings:detail", filing_id=filing.pk)
    try:
        filing = filing_submit(filing_id=filing.pk, actor=_user(request))
    except ValidationFailed as exc:
        context = preview_context(filing, version)
        context["problems"] = describe(exc.errors)
        context["submit_failed"] = True
        return render(request, "filings/preview.html", context, status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("filings:preview", filing_id=filing.pk)
    messages.success(request, _("Submitted. The provincial office has %(days)s working days to decide.") % {"days": 30})
    return redirect("filings:detail", filing_id=filing.pk)
