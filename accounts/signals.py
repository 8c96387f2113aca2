"""Domain signals: accounts announces events; supervision (higher up) reacts.

These are explicit events sent by services inside their transaction, not model signals, so the
handler's writes (a review task) commit or roll back with the event that caused them.
"""

from django.dispatch import Signal

# organization: Organization, actor: User, resubmission: bool
organization_submitted = Signal()
# change: OrganizationChange, actor: User, resubmission: bool
organization_change_submitted = Signal()
# change: OrganizationChange, actor: User
organization_change_withdrawn = Signal()
# organization: Organization, fields: list[str] (what an approved change altered), actor: User
organization_changed = Signal()
# A registration that claimed an imported entity was approved and merged into it (registration, claimed,
# actor): filings moves the registration's filing drafts, supervision its conflict declarations.
organization_merged = Signal()
