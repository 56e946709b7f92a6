"""Writes for credentials. Each service is one transaction and checks once who may act.

- `issue_for_completion`: the engagement was completed (a lifecycle handler calls it inside
  the completion's transaction); the student receives a credential with the skills endorsed
  so far (often none: the final reviews usually come after completion).
- `add_endorsements`: the final reviews were revealed. If the organization endorsed skills the
  current credential does not carry, a new version is issued with them; the earlier one is
  marked superseded and stays valid. Revealing before completion changes nothing: the
  credential issued at completion will carry the skills.
- `revoke`: a platform admin withdraws a credential, with a reason: every version of it is
  revoked (they attest the same work) and the status list says so from then on.
- `set_hidden`: the student hides a credential from the public (or shows it again); every
  version follows. Hiding is not revoking: it still verifies wherever the student presents it.
"""

import datetime
import logging
import random
import secrets
import uuid

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from practicum.core.errors import Conflict, Refused
from practicum.credentials import documents, keys, selectors
from practicum.credentials.models import REASON_MAX, Credential
from practicum.credentials.status import LIST_SIZE
from practicum.engagements.models import Engagement

log = logging.getLogger(__name__)


def _status_slot() -> tuple[int, int]:
    """A list and a random free index in it: a new list once the current one is half full."""
    number = Credential.objects.count() // (LIST_SIZE // 2) + 1
    return number, random.SystemRandom().randrange(LIST_SIZE)


def _issue(
    engagement: Engagement, *, at: datetime.datetime, awarded_at=None, hidden=False
) -> Credential:
    facts = selectors.facts_of(engagement)
    # validFrom and the JWT's nbf are whole seconds; the row says the same.
    issued_at = at.replace(microsecond=0)
    for _attempt in range(5):
        credential_id = uuid.uuid4()
        number, index = _status_slot()
        document = documents.achievement_credential(
            facts,
            credential_id=str(credential_id),
            subject_id=f"urn:uuid:{uuid.uuid4()}",
            salt=secrets.token_hex(16),
            issued_at=issued_at,
            awarded_at=awarded_at or issued_at,
            status_list=number,
            status_index=index,
        )
        token, thumbprint = keys.sign(documents.jwt_claims(document))
        try:
            # A savepoint: a status bit drawn twice at the same moment is drawn again.
            with transaction.atomic():
                return Credential.objects.create(
                    id=credential_id,
                    engagement=engagement,
                    student_id=engagement.student_id,
                    document=document,
                    jwt=token,
                    key_id=thumbprint,
                    issued_at=issued_at,
                    awarded_at=awarded_at or issued_at,
                    status_list=number,
                    status_index=index,
                    hidden=hidden,
                )
        except IntegrityError:
            if selectors.current_credential(engagement) is not None:
                raise
    raise Conflict("no_status_slot", "No free place in the status list; try again.")


def _skills_in(credential: Credential) -> set[tuple[str, str]]:
    """(skill slug, observed level) of each endorsed skill the credential carries."""
    achievement = credential.document["credentialSubject"]["achievement"]
    return {(a["targetCode"], a["targetDescription"]) for a in achievement.get("alignment", [])}


@transaction.atomic
def issue_for_completion(engagement: Engagement, *, at: datetime.datetime) -> Credential:
    """The completed engagement's credential (issued once: a second call returns the first)."""
    if engagement.state != Engagement.State.COMPLETED:
        raise Conflict("not_completed", "Credentials are issued for completed engagements.")
    current = selectors.current_credential(engagement)
    return current if current is not None else _issue(engagement, at=at)


@transaction.atomic
def add_endorsements(engagement: Engagement, *, at: datetime.datetime) -> Credential | None:
    """A new version of the engagement's credential when the organization's endorsements
    (verified skills) differ from those it carries; None when nothing had to change (not
    completed yet, revoked, or the same skills). The caller holds the engagement's lock."""
    current = selectors.current_credential(engagement)
    if current is None or current.is_revoked:
        return None
    wanted = {
        (skill.slug, documents.observed(skill.level_label))
        for skill in selectors.endorsed_skills(engagement)
    }
    if wanted == _skills_in(current):
        return None
    Credential.objects.filter(pk=current.pk).update(superseded_at=at)
    newer = _issue(engagement, at=at, awarded_at=current.awarded_at, hidden=current.hidden)
    Credential.objects.filter(pk=current.pk).update(superseded_by=newer)
    return newer


def _versions(credential: Credential):
    return Credential.objects.filter(engagement_id=credential.engagement_id)


@transaction.atomic
def revoke(credential: Credential, *, by, reason: str) -> int:
    """A platform admin revokes the credential and its other versions, with a reason (kept,
    and shown to the student); the number of versions revoked now. Final."""
    if by is None or not rules.has_perm("credentials.revoke_credential", by):
        raise Refused("platform_only", "Only a platform admin revokes credentials.")
    reason = (reason if isinstance(reason, str) else "").replace("\r\n", "\n").strip()
    if not reason or len(reason) > REASON_MAX:
        message = (
            "Give the reason for revoking." if not reason else f"At most {REASON_MAX:,} characters."
        )
        raise ValidationError({"reason": [ValidationError(message)]})
    now = timezone.now()
    revoked = (
        _versions(credential)
        .filter(revoked_at__isnull=True)
        .update(revoked_at=now, revoked_by=by, revocation_reason=reason)
    )
    log.warning(
        "Credential %s (engagement %s) revoked by user %s: %s",
        credential.pk,
        credential.engagement_id,
        by.pk,
        reason,
    )
    return revoked


@transaction.atomic
def set_hidden(credential: Credential, *, by, hidden: bool) -> None:
    """The student hides the credential from everybody else, or shows it again."""
    if not rules.has_perm("credentials.hide_credential", by, credential):
        raise Refused("not_yours", "Only the student who earned it hides or shows a credential.")
    _versions(credential).update(hidden=bool(hidden))
    credential.hidden = bool(hidden)


def revoke_when_account_deleted(sender, user, revoke_credentials=False, **kwargs) -> int:
    """accounts.signals.account_deleted: credentials stay verifiable unless the student asked
    to revoke them with the account; the number of versions revoked."""
    if not revoke_credentials:
        return 0
    return Credential.objects.filter(student=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(),
        revocation_reason="Revoked at the student's request when they deleted their account.",
    )
