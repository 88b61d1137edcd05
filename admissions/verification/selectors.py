"""Reads of the central check (R4.1): the dossier page, the next dossier, the reasons list.

Staff lookups go through ``dossiers.permissions`` (R9.2): a dossier outside the user's scope
does not exist for them.

What the central check reads (R4, R10.5): the queue of dossiers and its counts. No writes.

Every query starts from ``dossiers_checkable_by(user)`` (R9.2): an officer of one school never
sees another's dossiers, whatever the filters say. A page of the queue costs the same few
queries however many rows it shows or the campaign holds: the columns it shows are annotated
(one subquery per row shown, index-backed) or selected with the dossier, and the options come
in one prefetch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from admissions.accounts.models import User
from admissions.accounts.scope import school_scope
from admissions.audit.models import AuditEntry
from admissions.campaigns.models import Campaign, Programme
from admissions.core.language import localized
from admissions.documents.models import Document, PendingDeclaration
from admissions.dossiers.models import Dossier, FormationChoice
from admissions.dossiers.permissions import CHECKING_ROLES, dossiers_checkable_by
from admissions.dossiers.selectors import dossier_answers
from admissions.payments.models import Payment
from admissions.rules import documents as document_rules
from admissions.verification.models import CampaignCounts

# What the dossier page shows of a dossier, read in a fixed number of queries.
DOSSIER_PAGE_RELATIONS = (
    "choices__option__programme",
    "diplomas",
    "experiences",
    "documents__reviewed_by",
    "pending_documents",
    "payments",
    "referees",
    "messages",
)


@dataclass(frozen=True)
class ReasonChoice:
    code: str
    text: str


def refusal_reasons(campaign: Campaign, language: str) -> list[ReasonChoice]:
    """The campaign file's list of document refusal reasons (``[verification]``), in
    ``language`` when the file gives it, else in French."""
    section = campaign.loaded_document().get("verification") or {}
    english = language.startswith("en")
    return [
        ReasonChoice(entry["code"], (entry.get("text_en") if english else "") or entry["text"])
        for entry in section.get("refusal_reasons", [])
    ]


def refusal_reason_text(campaign: Campaign, code: str, language: str = "fr") -> str:
    """The text of the reason ``code`` in ``language`` (French when the file gives no
    translation), or "" if the campaign's list has no such code."""
    if not code:
        return ""
    for reason in refusal_reasons(campaign, language):
        if reason.code == code:
            return reason.text
    return ""


def document_refusal_reason(document: Document, campaign: Campaign, language: str) -> str:
    """Why ``document`` was refused, in the reader's ``language``: the campaign list's text for
    its code, else the officer's own words; a code the campaign file no longer lists is shown
    as it is rather than hidden."""
    return (
        refusal_reason_text(campaign, document.refusal_reason_code, language)
        or document.refusal_reason
        or document.refusal_reason_code
    )


def fix_item_reason(item: dict, campaign: Campaign, language: str) -> str:
    """The reason of one line of a fix-list email (``FixListNotice.items``) in ``language``:
    the list's text for its code, else the text written when it was sent."""
    return refusal_reason_text(campaign, item.get("reason_code", ""), language) or item["reason"]


def document_labels(dossier: Dossier, language: str) -> dict[str, str]:
    """Each document code of the dossier's checklist with its label in ``language``."""
    params = dossier.campaign.params()
    labels: dict[str, str] = {}
    for slot in document_rules.required_documents(params, dossier_answers(dossier)):
        labels[slot.code] = slot.label(language)
        for alternative in slot.alternatives:
            choice = alternative.label_en if language.startswith("en") else alternative.label_fr
            labels[alternative.code] = f"{slot.label(language)} — {choice}"
    return labels


def open_replacements(dossier: Dossier, now: datetime) -> list[Document]:
    """Refused documents the candidate may still replace (R3.8), oldest refusal first."""
    return [
        document
        for document in dossier.documents.filter(replacement_requested=True).order_by(
            "reviewed_at", "pk"
        )
        if document.replacement_open(now)
    ]


def dossier_for_staff(user: User, reference: str) -> Dossier | None:
    """The dossier ``reference`` if ``user`` may check it, with what its page shows; else None."""
    return (
        dossiers_checkable_by(user)
        .filter(reference=reference)
        .select_related("campaign__school", "candidate", "central_check__decided_by")
        .defer("campaign__document", "campaign__source_text")
        .prefetch_related(*DOSSIER_PAGE_RELATIONS)
        .first()
    )


def dossiers_to_check(user: User) -> QuerySet[Dossier]:
    """Submitted dossiers without a verdict, in queue order: oldest submission first."""
    return (
        dossiers_checkable_by(user)
        .filter(state=Dossier.State.SUBMITTED, central_check__isnull=True)
        .order_by("submitted_at", "pk")
    )


def waiting_for_the_candidate(now: datetime) -> Exists:
    """A document of the dossier that the candidate may still replace (R3.8): nothing to
    decide before their new file or the date."""
    return Exists(
        Document.objects.filter(dossier=OuterRef("pk"), replacement_requested=True).filter(
            Q(replace_until__isnull=True) | Q(replace_until__gt=now)
        )
    )


def next_dossier_to_check(
    user: User, after: Dossier | None = None, *, now: datetime
) -> Dossier | None:
    """The next submitted, undecided dossier in queue order after ``after`` (the first one
    when ``after`` is None or the last), never ``after`` itself, and never one waiting for the
    candidate's replacement (no verdict could be given on it yet); None when none is left."""
    queue = dossiers_to_check(user).exclude(waiting_for_the_candidate(now))
    if after is not None and after.submitted_at is not None:
        # The bound on submitted_at alone lets the index (dossier_to_check_order) start there.
        later = (
            queue.filter(submitted_at__gte=after.submitted_at)
            .filter(Q(submitted_at__gt=after.submitted_at) | Q(pk__gt=after.pk))
            .first()
        )
        if later is not None:
            return later
        queue = queue.exclude(pk=after.pk)
    return queue.first()


def audit_trail(dossier: Dossier) -> QuerySet[AuditEntry]:
    """Every audit entry about the dossier, its referees and its payments (R9.1), oldest
    first, with its author. Reads the dossier's referees and payments (prefetched)."""
    about = Q(target_type=Dossier._meta.label_lower, target_id=str(dossier.pk))
    for relation in (dossier.referees, dossier.payments):
        ids = [str(row.pk) for row in relation.all()]
        if ids:
            about |= Q(target_type=relation.model._meta.label_lower, target_id__in=ids)
    return AuditEntry.objects.filter(about).select_related("actor").order_by("at", "pk")


class QueueState:
    """Where a dossier stands in the check, as the queue filters and shows it."""

    DRAFT = "draft"
    UNCHECKED = "unchecked"
    RECEVABLE = "recevable"
    REFUSED = "refused"

    CHOICES = (
        (DRAFT, _("En cours de saisie")),
        (UNCHECKED, _("Déposé, à vérifier")),
        (RECEVABLE, _("Recevable")),
        (REFUSED, _("Refus de pré-admissibilité")),
    )
    LABELS = dict(CHOICES)

    CONDITIONS = {
        DRAFT: Q(state=Dossier.State.DRAFT),
        UNCHECKED: Q(state=Dossier.State.SUBMITTED, central_check__isnull=True),
        RECEVABLE: Q(central_check__verdict="recevable"),
        REFUSED: Q(central_check__verdict="refused"),
    }


class PaymentState:
    """The fee as the queue filters it: confirmed, declared and waiting for staff, or none."""

    CONFIRMED = "confirmed"
    DECLARED = "declared"
    NONE = "none"

    CHOICES = (
        (CONFIRMED, _("Paiement confirmé")),
        (DECLARED, _("Paiement déclaré, à confirmer")),
        (NONE, _("Aucun paiement")),
    )
    LABELS = dict(CHOICES)


def _payment_in(state: str) -> Exists:
    return Exists(Payment.objects.filter(dossier=OuterRef("pk"), state=state))


def items_to_fix() -> Q:
    """A dossier with an item to complete: a document refused or to replace, or one the
    candidate declared "not yet available" (R3.3). A submitted dossier has every other item."""
    to_replace = Document.objects.filter(dossier=OuterRef("pk")).filter(
        Q(review=Document.Review.REFUSED) | Q(replacement_requested=True)
    )
    pending = PendingDeclaration.objects.filter(dossier=OuterRef("pk"))
    return Q(Exists(to_replace)) | Q(Exists(pending))


def queue_state_expression() -> Case:
    return Case(
        *(When(condition, then=Value(code)) for code, condition in QueueState.CONDITIONS.items()),
        default=Value(QueueState.UNCHECKED),
        output_field=CharField(),
    )


def queue_dossiers(user: User, campaign: Campaign) -> QuerySet[Dossier]:
    """The campaign's dossiers ``user`` checks, drafts included (R10.5), each with what the
    queue shows: ``queue_state``, ``to_fix``, ``paid``, ``payment_declared``; the candidate and
    the verdict are selected with it, the chosen options prefetched."""
    return (
        dossiers_checkable_by(user)
        .filter(campaign=campaign)
        .select_related("candidate", "central_check")
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=FormationChoice.objects.select_related("option").order_by("rank"),
            )
        )
        .annotate(
            queue_state=queue_state_expression(),
            to_fix=items_to_fix(),
            paid=_payment_in(Payment.State.CONFIRMED),
            payment_declared=_payment_in(Payment.State.DECLARED),
        )
    )


def with_programme(queryset: QuerySet[Dossier], programme_id: int) -> QuerySet[Dossier]:
    return queryset.filter(
        Exists(
            FormationChoice.objects.filter(dossier=OuterRef("pk"), option__programme=programme_id)
        )
    )


def with_option(queryset: QuerySet[Dossier], option_id: int) -> QuerySet[Dossier]:
    return queryset.filter(
        Exists(FormationChoice.objects.filter(dossier=OuterRef("pk"), option=option_id))
    )


def with_payment_state(queryset: QuerySet[Dossier], state: str) -> QuerySet[Dossier]:
    if state == PaymentState.CONFIRMED:
        return queryset.filter(_payment_in(Payment.State.CONFIRMED))
    if state == PaymentState.DECLARED:
        return queryset.filter(_payment_in(Payment.State.DECLARED))
    if state == PaymentState.NONE:
        return queryset.exclude(_payment_in(Payment.State.CONFIRMED)).exclude(
            _payment_in(Payment.State.DECLARED)
        )
    return queryset


# A search by email finds at most this many accounts by their identifiers (then an indexed
# ``candidate_id = ANY(...)``); a broader one ("example.org") falls back to a subquery.
SEARCH_ACCOUNTS = 200


def search(queryset: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """By reference, name or email, as staff type them (any case, any part)."""
    text = text.strip()
    if not text:
        return queryset
    # References are upper case: an exact match on the unique index, whatever case was typed.
    condition = Q(reference=text.upper())
    for word in text.split()[:4]:
        condition |= Q(last_name__icontains=word) | Q(first_name__icontains=word)
    # The accounts whose email matches are read first (trigram index): one condition on the
    # dossier alone, each of its alternatives index-backed (on PostgreSQL, trigram indexes:
    # migration verification.0004), lets the planner OR the indexes' bitmaps and then read
    # only the matching rows; a subquery there (or a join to the account) reads every row.
    accounts = User.objects.filter(email__icontains=text).order_by().values_list("pk", flat=True)
    found = list(accounts[: SEARCH_ACCOUNTS + 1])
    if len(found) > SEARCH_ACCOUNTS:
        condition |= Q(candidate__in=accounts)
    elif found:
        condition |= Q(candidate_id__in=found)
    return queryset.filter(condition)


@dataclass
class ProgrammeCount:
    """Dossiers of a programme by state; a dossier counts in each programme it applies to."""

    programme: str
    by_state: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    def cells(self) -> list[int]:
        return [self.by_state.get(code, 0) for code, _label in QueueState.CHOICES]


def localized_name(programme: Programme) -> str:
    return localized(programme, "name")


# The counts above the queue and the funnel read every dossier of the campaign: counted in the
# background (services.recount_campaign) into CampaignCounts; a page only reads that row, and
# asks for a recount once it is older than this (the page says when it was counted). The age
# is wall time, not the campaign clock: a frozen or simulated clock must not freeze the counts.
COUNTS_STALE_AFTER = timedelta(minutes=1)
QUEUE_KEY = "none"  # the dossiers that chose no formation yet, in the stored counts


def stored_counts(campaign: Campaign) -> CampaignCounts | None:
    """The campaign's counts as last counted, or None before the first count."""
    return CampaignCounts.objects.filter(campaign=campaign).first()


def counts_are_stale(counts: CampaignCounts | None, now: datetime) -> bool:
    return counts is None or counts.computed_at <= now - COUNTS_STALE_AFTER


def count_queue_numbers(campaign: Campaign) -> dict[str, dict[str, int]]:
    """Every dossier of the campaign by programme (its primary key; ``QUEUE_KEY`` for none) and
    queue state: plain numbers for ``CampaignCounts.counts["queue"]``. One grouped query."""
    rows = (
        Dossier.objects.filter(campaign=campaign)
        .values("choices__option__programme")
        .annotate(
            **{
                code: Count("pk", filter=condition, distinct=True)
                for code, condition in QueueState.CONDITIONS.items()
            }
        )
        .order_by()
    )
    return {
        str(row["choices__option__programme"] or QUEUE_KEY): {
            code: row[code]  # type: ignore[literal-required]
            for code in QueueState.CONDITIONS
        }
        for row in rows
    }


def count_matching_numbers(campaign: Campaign) -> dict[str, int]:
    """How many dossiers of the campaign the queue lists with no filter (key ""), with one
    state alone ("state=<code>") and with items to fix or not ("to_fix=yes", "to_fix=no"),
    for ``CampaignCounts.counts["matching"]``: the queue's heading gives that number when its
    own count stops (``tables.CappedPaginator``). Two queries: the states in one aggregate,
    the items to fix apart (its EXISTS, hashed once, rather than per row inside the aggregate:
    half the time at 100,000)."""
    dossiers = Dossier.objects.filter(campaign=campaign)
    found = dossiers.aggregate(
        all=Count("pk"),
        **{
            code: Count("pk", filter=condition) for code, condition in QueueState.CONDITIONS.items()
        },
    )
    to_fix = dossiers.filter(items_to_fix()).count()
    numbers = {"": found["all"], "to_fix=yes": to_fix, "to_fix=no": found["all"] - to_fix}
    for code in QueueState.CONDITIONS:
        numbers[f"state={code}"] = found[code]
    return numbers


def matching_key(filters: dict[str, Any]) -> str:
    """The filters set (a valid filter form's cleaned data) as ``count_matching_numbers``
    keys them: "name=value" joined by "&", in name order; "" for none."""
    chosen = sorted((name, value) for name, value in filters.items() if value not in (None, ""))
    return "&".join(f"{name}={value}" for name, value in chosen)


def counted_matching(
    user: User, campaign: Campaign, counts: CampaignCounts | None, filters: dict[str, Any]
) -> int | None:
    """How many dossiers matched ``filters`` when ``counts`` were made, if the background
    count counts exactly these filters and ``user`` checks the whole campaign; else None."""
    if counts is None or not school_scope(user, CHECKING_ROLES).includes(campaign.school_id):
        return None
    return counts.counts.get("matching", {}).get(matching_key(filters))


def counts_by_programme(
    user: User, campaign: Campaign, counts: CampaignCounts | None
) -> list[ProgrammeCount]:
    """Per programme and state, every dossier ``user`` checks (R10.5), drafts included, as
    last counted (``counts``; zeros before the first count or outside the user's scope); the
    dossiers that chose no formation yet form a last line. Reads only the programmes."""
    found: dict[str, dict[str, int]] = {}
    if counts is not None and school_scope(user, CHECKING_ROLES).includes(campaign.school_id):
        found = counts.counts.get("queue", {})
    rows = []
    for programme in Programme.objects.filter(campaign=campaign).order_by("position", "pk"):
        counted = found.get(str(programme.pk), {})
        rows.append(
            ProgrammeCount(
                localized_name(programme),
                {code: counted.get(code, 0) for code in QueueState.CONDITIONS},
            )
        )
    if QUEUE_KEY in found:
        rows.append(
            ProgrammeCount(
                str(_("Aucune formation choisie")),
                {code: found[QUEUE_KEY].get(code, 0) for code in QueueState.CONDITIONS},
            )
        )
    return rows


EXPORT_FIELDS = (
    "pk",
    "reference",
    "last_name",
    "first_name",
    "candidate__email",
    "status_sought",
    "queue_state",
    "submitted_at",
    "to_fix",
    "scholarship_claimed",
    "paid",
    "payment_declared",
)
EXPORT_CHUNK = 2000


def queue_rows(queryset: QuerySet[Dossier]) -> Iterator[dict[str, Any]]:
    """The queue's rows for an export, as plain values (no model instances: a 100,000-row
    export is mostly this loop), each with ``options``, the codes of its chosen options in
    order; read in chunks through a server-side cursor, so memory stays flat however many."""
    plain = queryset.select_related(None).prefetch_related(None)
    rows = plain.values(*EXPORT_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(rows, EXPORT_CHUNK)):
        options: dict[int, list[str]] = {}
        chosen = (
            FormationChoice.objects.filter(dossier__in=[row["pk"] for row in chunk])
            .order_by("dossier", "rank")
            .values_list("dossier", "option__code")
        )
        for dossier_id, code in chosen:
            options.setdefault(dossier_id, []).append(code)
        for row in chunk:
            row["options"] = options.get(row["pk"], [])
            yield row
