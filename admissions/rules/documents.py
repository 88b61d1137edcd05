"""The documents a dossier needs, computed from the candidate's answers (R3.3), and the checklist
that says what is still missing (R3.7, R10.1). Re-run on every change of the answers: a document
no longer required (a visa after a change of nationality) shows up in ``Checklist.no_longer_required``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .eligibility import Diploma
from .explain import Reason, RulesError
from .language import in_language
from .params import Campaign, DiplomaType, StatusSought


class Source(StrEnum):
    UPLOAD = "upload"  # the candidate uploads a file (R3.4)
    REFEREE = "referee"  # a referee fills an online form through a link (R3.5)


class ProvidedState(StrEnum):
    """What the dossier holds for one document code."""

    PROVIDED = "provided"  # uploaded or received, not yet checked
    VALID = "valid"  # checked by staff (R4.1)
    REFUSED = "refused"  # refused by staff: to be replaced (R4.1)
    PENDING = "pending"  # declared "not yet available", sent later (R3.3, R3.8)
    REQUESTED = "requested"  # a referee was asked and has not answered (R3.5)


class ItemState(StrEnum):
    SATISFIED = "satisfied"
    PENDING = "pending"  # allowed to come later: does not block submission
    MISSING = "missing"
    REFUSED = "refused"


@dataclass(frozen=True)
class DocumentAlternative:
    """One way to fill a slot that several documents can fill."""

    code: str
    label_fr: str
    label_en: str
    source: Source = Source.UPLOAD
    max_pages: int = 1


@dataclass(frozen=True)
class RequiredDocument:
    """One slot of the checklist. With ``alternatives``, any one of them satisfies the slot."""

    code: str
    label_fr: str
    label_en: str
    why_fr: str
    why_en: str
    formats: tuple[str, ...] = ()
    source: Source = Source.UPLOAD
    may_be_pending: bool = False  # the first-semester transcript may come later (R3.3)
    max_pages: int = 1  # several pages seen as one document (identity card front and back, R10.3)
    alternatives: tuple[DocumentAlternative, ...] = ()
    formation: str | None = None  # for a motivation letter: the formation it is for
    # The French label's grammatical gender ("m" or "f") and number, so that a state word such
    # as "fourni" agrees with it: "Curriculum vitae — fourni", "Photo d'identité — fournie".
    gender: str = "m"
    plural: bool = False

    def label(self, language: str = "fr") -> str:
        return in_language(language, self.label_fr, self.label_en)

    def why(self, language: str = "fr") -> str:
        return in_language(language, self.why_fr, self.why_en)

    @property
    def accepted_codes(self) -> tuple[str, ...]:
        """The codes that can satisfy this slot: its own, then each alternative's."""
        return (self.code, *(alternative.code for alternative in self.alternatives))


@dataclass(frozen=True)
class DossierAnswers:
    """The answers that decide which documents are required."""

    nationality: str  # ISO 3166-1 alpha-2
    status_sought: StatusSought = StatusSought.APPRENTICESHIP  # no 2021 document depends on it yet
    diplomas: tuple[Diploma, ...] = ()
    formations_chosen: tuple[str, ...] = ()  # formation codes, e.g. "IMT-MINES-ALBI:SIMMA"
    scholarship_claimed: bool = False
    other_nationalities: tuple[str, ...] = ()  # dual nationals need no visa if one is EEA or CH


@dataclass(frozen=True)
class ChecklistItem:
    document: RequiredDocument
    state: ItemState
    satisfied_by: str | None = None  # the code that fills the slot (an alternative's, maybe)

    @property
    def reason(self) -> Reason | None:
        label_fr, label_en = self.document.label_fr, self.document.label_en
        if self.state is ItemState.MISSING:
            return Reason(
                "documents.missing",
                f"Pièce manquante : {label_fr}.",
                f"Missing document: {label_en}.",
                {"document": self.document.code},
            )
        if self.state is ItemState.REFUSED:
            return Reason(
                "documents.refused",
                f"Pièce refusée, à remplacer : {label_fr}.",
                f"Document refused, to be replaced: {label_en}.",
                {"document": self.document.code},
            )
        if self.state is ItemState.PENDING:
            return Reason(
                "documents.pending",
                f"Pièce à envoyer dès que disponible : {label_fr}.",
                f"Document to send as soon as available: {label_en}.",
                {"document": self.document.code},
            )
        return None


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...]
    no_longer_required: tuple[str, ...] = field(default=())

    @property
    def missing(self) -> tuple[RequiredDocument, ...]:
        """Slots that block submission: missing or refused (R3.7)."""
        return tuple(
            item.document
            for item in self.items
            if item.state in (ItemState.MISSING, ItemState.REFUSED)
        )

    @property
    def pending(self) -> tuple[RequiredDocument, ...]:
        return tuple(item.document for item in self.items if item.state is ItemState.PENDING)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return tuple(reason for item in self.items if (reason := item.reason) is not None)


def needs_visa(
    campaign: Campaign, nationality: str, other_nationalities: tuple[str, ...] = ()
) -> bool:
    """A visa is needed unless a nationality is of the EEA (EU, IS, NO, LI) or Switzerland (R3.3)."""
    free = {code.upper() for code in (*campaign.eea_countries, *campaign.visa_exempt_countries)}
    nationalities = {code.strip().upper() for code in (nationality, *other_nationalities) if code}
    if not nationalities:
        raise RulesError(
            Reason(
                "documents.no_nationality",
                "Indiquez votre nationalité.",
                "Give your nationality.",
            )
        )
    return not nationalities & free


def required_documents(campaign: Campaign, answers: DossierAnswers) -> tuple[RequiredDocument, ...]:
    """The checklist's slots for these answers, in the order of the notice (R3.3)."""
    uploads = campaign.uploads
    formats = uploads.allowed_formats
    photo_formats = uploads.photo_formats
    photo_fr = "/".join(_format_name(f) for f in photo_formats)
    max_size = f"{uploads.photo_max_width} x {uploads.photo_max_height}"
    docs: list[RequiredDocument] = [
        RequiredDocument(
            "photo",
            "Photo d'identité",
            "Identity photo",
            f"Photo d'identité récente et en couleur, {photo_fr}, {max_size} pixels au maximum.",
            f"A recent colour identity photo, {photo_fr}, at most {max_size} pixels.",
            formats=photo_formats,
            gender="f",
        ),
        RequiredDocument(
            "identity",
            "Pièce d'identité",
            "Identity document",
            "Carte nationale d'identité recto et verso, ou passeport.",
            "National identity card, front and back, or passport.",
            formats=formats,
            max_pages=2,
            alternatives=(
                DocumentAlternative(
                    "identity_card",
                    "Carte d'identité (recto et verso)",
                    "Identity card (front and back)",
                    max_pages=2,
                ),
                DocumentAlternative("passport", "Passeport", "Passport", max_pages=2),
            ),
            gender="f",
        ),
    ]
    if needs_visa(campaign, answers.nationality, answers.other_nationalities):
        docs.append(
            RequiredDocument(
                "visa",
                "Visa valide",
                "Valid visa",
                "Vous n'êtes pas ressortissant d'un pays de l'Espace économique européen ni de "
                "Suisse : un visa étudiant long séjour est nécessaire pour étudier en France plus "
                "de 3 mois.",
                "You are not a national of a European Economic Area country or Switzerland: a "
                "long-stay student visa is needed to study in France for more than 3 months.",
                formats=formats,
            )
        )
    docs += [
        RequiredDocument(
            "cv",
            "Curriculum vitae",
            "Curriculum vitae",
            "Avec le détail des formations et des stages suivis depuis le baccalauréat.",
            "With details of the studies and internships since the baccalauréat.",
            formats=formats,
        ),
        RequiredDocument(
            "bac_transcripts",
            "Relevés de notes du baccalauréat",
            "Baccalauréat transcripts",
            "Les relevés de notes obtenues au baccalauréat.",
            "The grades obtained at the baccalauréat.",
            formats=formats,
            max_pages=4,
            gender="m",
            plural=True,
        ),
        RequiredDocument(
            "transcripts_previous_year",
            "Relevés de notes de l'année précédente",
            "Transcripts of the previous year",
            "Les notes de l'année scolaire précédente (ou des années post-bac).",
            "The grades of the previous school year (or of your years after the bac).",
            formats=formats,
            max_pages=4,
            gender="m",
            plural=True,
        ),
        RequiredDocument(
            "transcripts_current_year",
            "Relevé de notes de cette année (premier semestre)",
            "Transcript of this year (first semester)",
            "Les notes de cette année. S'il n'est pas encore disponible, marquez-le « pas encore "
            "disponible » et envoyez-le en complément dès que vous l'aurez.",
            "The grades of this year. If it is not available yet, mark it 'not yet available' "
            "and send it as a complement as soon as you have it.",
            formats=formats,
            may_be_pending=True,
            max_pages=4,
        ),
    ]
    if any(d.type is DiplomaType.BTS and d.obtained_on is not None for d in answers.diplomas):
        docs.append(
            RequiredDocument(
                "bts_exam_transcript",
                "Relevé de notes de l'examen du BTS",
                "BTS exam transcript",
                "Vous avez obtenu un BTS : joignez le relevé des notes de son examen.",
                "You hold a BTS: attach the transcript of its exam grades.",
                formats=formats,
            )
        )
    abroad = [d for d in answers.diplomas if d.type is not DiplomaType.BAC and d.obtained_abroad]
    if abroad:
        docs.append(
            RequiredDocument(
                "foreign_programme",
                "Programme détaillé du diplôme obtenu à l'étranger",
                "Detailed programme of the diploma obtained abroad",
                "Votre diplôme (obtenu ou en cours) est étranger : joignez le détail de son "
                "programme pour que la commission puisse l'évaluer.",
                "Your diploma (obtained or in progress) is from abroad: attach its detailed "
                "programme so that the committee can assess it.",
                formats=formats,
                max_pages=10,
            )
        )
    docs += [
        RequiredDocument(
            "academic_recommendation",
            "Recommandation académique",
            "Academic recommendation",
            "Une recommandation en ligne d'un responsable ou d'un professeur d'une matière "
            "majeure ; à défaut, l'avis de poursuite d'études du jury ; à défaut, le courrier de "
            "votre établissement indiquant qu'il n'en délivre pas.",
            "An online recommendation by the head of studies or a teacher of a major subject; "
            "failing that, the jury's opinion on further study ('avis de poursuite d'études'); "
            "failing that, your institution's letter saying it gives none.",
            formats=formats,
            source=Source.REFEREE,
            alternatives=(
                DocumentAlternative(
                    "academic_recommendation.referee",
                    "Recommandation d'un référent académique",
                    "Recommendation by an academic referee",
                    source=Source.REFEREE,
                ),
                DocumentAlternative(
                    "academic_recommendation.further_study_opinion",
                    "Avis de poursuite d'études",
                    "Opinion on further study",
                ),
                DocumentAlternative(
                    "academic_recommendation.no_opinion_letter",
                    "Courrier de l'établissement : pas d'avis de poursuite d'études",
                    "Institution's letter: no opinion on further study given",
                ),
            ),
            gender="f",
        ),
        RequiredDocument(
            "professional_recommendation",
            "Recommandation professionnelle",
            "Professional recommendation",
            "Remplie en ligne par votre responsable de stage ou, si vous êtes apprenti, par "
            "votre maître d'apprentissage.",
            "Filled in online by your internship supervisor or, if you are an apprentice, by "
            "your apprenticeship master.",
            source=Source.REFEREE,
            gender="f",
        ),
    ]
    docs += _motivation_letters(answers.formations_chosen, formats)
    if answers.scholarship_claimed:
        docs.append(
            RequiredDocument(
                "scholarship_proof",
                "Justificatif de bourse",
                "Scholarship proof",
                "Vous demandez le tarif boursier : joignez l'avis définitif de bourse 2020-2021 "
                "(CROUS ou État français).",
                "You claim the scholarship rate: attach the final 2020-2021 scholarship award "
                "(CROUS or French State).",
                formats=formats,
            )
        )
    return tuple(docs)


def _motivation_letters(
    formations: tuple[str, ...], formats: tuple[str, ...]
) -> list[RequiredDocument]:
    why_fr = "Une lettre par formation visée, de préférence manuscrite et scannée."
    why_en = "One letter per formation sought, preferably handwritten and scanned."
    if len(set(formations)) != len(formations):
        raise RulesError(
            Reason(
                "documents.duplicate_formation",
                "La même formation est choisie deux fois.",
                "The same formation is chosen twice.",
                {"formations": formations},
            )
        )
    if not formations:
        # Until a formation is chosen, one letter still shows as needed, so the checklist never
        # looks complete by accident.
        return [
            RequiredDocument(
                "motivation_letter",
                "Lettre de motivation",
                "Motivation letter",
                why_fr,
                why_en,
                formats=formats,
                max_pages=3,
                gender="f",
            )
        ]
    return [
        RequiredDocument(
            f"motivation_letter:{formation}",
            f"Lettre de motivation : {formation}",
            f"Motivation letter: {formation}",
            why_fr,
            why_en,
            formats=formats,
            max_pages=3,
            formation=formation,
            gender="f",
        )
        for formation in formations
    ]


def checklist(
    required: tuple[RequiredDocument, ...], provided: Mapping[str, ProvidedState]
) -> Checklist:
    """Each slot's state from what the dossier holds (R3.7, R10.1).

    A slot is satisfied by its own code or any alternative's, provided or valid. "Pending" counts
    only where the notice allows it (the first-semester transcript). A refused item is shown as
    refused unless another alternative fills the slot.
    """
    items: list[ChecklistItem] = []
    for document in required:
        states = {
            code: ProvidedState(provided[code])
            for code in document.accepted_codes
            if code in provided
        }
        satisfied = [
            c for c, s in states.items() if s in (ProvidedState.PROVIDED, ProvidedState.VALID)
        ]
        pending = [c for c, s in states.items() if s is ProvidedState.PENDING]
        if satisfied:
            items.append(ChecklistItem(document, ItemState.SATISFIED, satisfied[0]))
        elif pending and document.may_be_pending:
            items.append(ChecklistItem(document, ItemState.PENDING, pending[0]))
        elif any(s is ProvidedState.REFUSED for s in states.values()):
            items.append(ChecklistItem(document, ItemState.REFUSED))
        else:
            items.append(ChecklistItem(document, ItemState.MISSING))
    known = {code for document in required for code in document.accepted_codes}
    extra = tuple(sorted(code for code in provided if code not in known))
    return Checklist(tuple(items), extra)


def _format_name(fmt: str) -> str:
    return {"jpeg": "jpg", "png": "png", "pdf": "pdf"}.get(fmt, fmt)
