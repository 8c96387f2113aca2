"""Domain signals: filings announces events; supervision (higher up) reacts in the same transaction."""

from django.dispatch import Signal

# filing: Filing, version: FilingVersion, actor: User, resubmission: bool
filing_submitted = Signal()
# filing: Filing, version: FilingVersion, actor: User
filing_change_submitted = Signal()
# filing: Filing, cancellation: FilingCancellation, actor: User
filing_cancellation_submitted = Signal()
# subject_type: str, subject_id: int, actor: User  (the provider withdrew it before a decision)
filing_subject_withdrawn = Signal()
# filing: Filing, reassessment: Reassessment, actor: User
filing_reassessment_submitted = Signal()
# filing: Filing, objection: Objection (a member of the public objected to a published filing)
filing_objection_submitted = Signal()
