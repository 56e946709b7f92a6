"""The documents the platform signs: an Open Badges 3.0 OpenBadgeCredential for a completed
engagement, the issuer's profile, and the Bitstring Status List credential that publishes
revocations. Pure functions of the facts they are given (no queries), so a credential can be
rebuilt and compared.

The mapping (Open Badges 3.0, VC Data Model 2.0):
- issuer: the platform's Profile (its id is the URL that serves this profile);
- credentialSubject: the student, identified by IdentityObjects: the email hashed with a salt
  of its own (`sha256$…`, so the credential does not publish the address but whoever knows it
  can check it), and the display name (identityType "name"); `id` is a random URN per
  credential (the VC-JWT's `sub`), which links nothing across credentials;
- achievement: the project (name, description), the organization as `creator`, `criteria`
  saying what was done (deliverables accepted, hours, dates), an `alignment` per endorsed
  skill, and a rubric of the four levels (`resultDescription`);
- result: "Completed", and per endorsed skill the level the organization observed;
- credentialStatus: a BitstringStatusListEntry (revocation) pointing at our status list.
"""

import datetime
import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.templatetags.static import static
from django.urls import reverse

from practicum.credentials import status
from practicum.credentials.keys import site_url
from practicum.credentials.selectors import Facts
from practicum.profiles.models import StudentSkill

ISSUER_NAME = "Practicum"
ISSUER_DESCRIPTION = (
    "Practicum runs paid micro-internships: short, project-based work that organizations offer "
    "and students do. It issues a credential when an engagement is completed."
)
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SKILL_FRAMEWORK = "Practicum skill taxonomy"
LEVELS = StudentSkill.Level
# The JWT claims a VC-JWT adds to the credential (Open Badges 3.0, 8.2.4.1).
JWT_CLAIMS = ("iss", "jti", "nbf", "sub", "exp")


def absolute(path: str) -> str:
    return f"{site_url()}{path}"


def timestamp(moment: datetime.datetime) -> str:
    """A DateTimeZ in UTC, to the second (a JWT's nbf has no fractions)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value: datetime.date) -> str:
    return f"{value:%-d %B %Y}"


def issuer_id() -> str:
    return absolute(reverse("credentials:issuer"))


def issuer_profile() -> dict:
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": absolute("/"),
        "description": ISSUER_DESCRIPTION,
        "image": {"id": absolute(static("favicon.svg")), "type": "Image", "caption": ISSUER_NAME},
    }


def status_list_url(number: int) -> str:
    return absolute(reverse("credentials:status_list", args=[number]))


def identity_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _level_id(credential_urn: str, level: int) -> str:
    return f"{credential_urn}#level-{level}"


def observed(level_label: str) -> str:
    return f"Observed at the level “{level_label}”."


def _alignment(skill) -> dict:
    return {
        "type": ["Alignment"],
        "targetType": "ceasn:Competency",
        "targetFramework": SKILL_FRAMEWORK,
        "targetCode": skill.slug,
        "targetName": skill.name,
        "targetDescription": observed(skill.level_label),
        # Projects that ask for the skill: the closest thing the platform has to a skill page.
        "targetUrl": absolute(
            reverse("projects:discover") + "?" + urlencode({"skills": skill.skill_id})
        ),
    }


def criteria_narrative(facts: Facts) -> str:
    """What was done, in Markdown: dates, deliverables accepted, hours."""
    completed_on = facts.completed_at.astimezone(facts.zone).date()
    since = f" from {day(facts.starts_on)}" if facts.starts_on else ""
    lines = [
        f"Completed a micro-internship with {facts.organization_name}{since} "
        f"to {day(completed_on)}."
    ]
    accepted, total = facts.accepted, len(facts.deliverables)
    if facts.partial:
        lines.append(
            f"The engagement was completed partially: {len(accepted)} of {total} deliverables "
            "accepted."
        )
    if accepted:
        lines.append(f"Deliverables accepted by {facts.organization_name}:")
        lines.append(
            "\n".join(
                f"- {d.title} (accepted {day(d.accepted_at.astimezone(facts.zone).date())})"
                for d in accepted
            )
        )
    agreed = f"{facts.hours_agreed} agreed" if facts.hours_agreed else ""
    if facts.hours_reported:
        hours = f"{facts.hours_reported.normalize():f}"
        lines.append(f"Hours of work reported: {hours}{f' ({agreed})' if agreed else ''}.")
    elif agreed:
        lines.append(f"Hours: {agreed}.")
    return "\n\n".join(lines)


def achievement_credential(
    facts: Facts,
    *,
    credential_id: str,
    subject_id: str,
    salt: str,
    issued_at: datetime.datetime,
    awarded_at: datetime.datetime,
    status_list: int,
    status_index: int,
) -> dict:
    urn = f"urn:uuid:{credential_id}"
    page = absolute(reverse("credentials:detail", args=[credential_id]))
    rubric_id = f"{urn}#observed-level"
    organization = {
        "id": absolute(facts.organization_path),
        "type": ["Profile"],
        "name": facts.organization_name,
    }
    if facts.organization_website:
        organization["url"] = facts.organization_website
    achievement = {
        "id": f"{urn}#achievement",
        "type": ["Achievement"],
        "achievementType": "ext:MicroInternship",
        "name": facts.project_title,
        "description": facts.project_summary
        or f"A micro-internship with {facts.organization_name}.",
        "criteria": {"id": page, "narrative": criteria_narrative(facts)},
        "creator": organization,
        "alignment": [_alignment(skill) for skill in facts.skills],
        "resultDescription": [
            {
                "id": rubric_id,
                "type": ["ResultDescription"],
                "name": f"Level observed by {facts.organization_name}",
                "resultType": "RubricCriterionLevel",
                "rubricCriterionLevel": [
                    {
                        "id": _level_id(urn, level.value),
                        "type": ["RubricCriterionLevel"],
                        "name": level.label,
                        "level": level.label,
                        "points": str(level.value),
                    }
                    for level in LEVELS
                ],
            }
        ],
    }
    zone = facts.zone
    subject = {
        "id": subject_id,
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(facts.student_email, salt),
                "salt": salt,
            },
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": facts.student_name,
            },
        ],
        "achievement": achievement,
        "role": "Micro-intern",
        "result": [
            {"type": ["Result"], "resultDescription": rubric_id, "status": "Completed"},
            *(
                {
                    "type": ["Result"],
                    "resultDescription": rubric_id,
                    "achievedLevel": _level_id(urn, skill.level),
                    "alignment": [_alignment(skill)],
                }
                for skill in facts.skills
            ),
        ],
        "activityEndDate": timestamp(facts.completed_at),
    }
    if facts.starts_on:
        start = datetime.datetime.combine(facts.starts_on, datetime.time(), zone)
        subject["activityStartDate"] = timestamp(start)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": urn,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{facts.project_title} — {facts.organization_name}",
        "description": (
            f"{facts.student_name} completed the micro-internship “{facts.project_title}” "
            f"with {facts.organization_name}."
        ),
        "issuer": issuer_profile(),
        "validFrom": timestamp(issued_at),
        "awardedDate": timestamp(awarded_at),
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": {
            "id": f"{status_list_url(status_list)}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_list_url(status_list),
        },
    }


def _numeric(value: str) -> int:
    return int(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def jwt_claims(document: dict) -> dict:
    """The VC-JWT payload: the credential with the JWT claims that repeat it."""
    claims = {
        **document,
        "iss": issuer["id"] if isinstance(issuer := document["issuer"], dict) else issuer,
        "jti": document["id"],
        "nbf": _numeric(document["validFrom"]),
        "sub": document["credentialSubject"]["id"],
    }
    if document.get("validUntil"):
        claims["exp"] = _numeric(document["validUntil"])
    return claims


def without_jwt_claims(claims: dict) -> dict:
    return {key: value for key, value in claims.items() if key not in JWT_CLAIMS}


def status_list_credential(number: int, revoked: set[int], at: datetime.datetime) -> dict:
    url = status_list_url(number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": timestamp(at),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": status.encode(revoked),
        },
    }


def linkedin_url(document: dict, page_url: str) -> str:
    """LinkedIn's "Add to profile" link for a certification, filled in from the credential."""
    issued = datetime.datetime.fromisoformat(document["awardedDate"].replace("Z", "+00:00"))
    return "https://www.linkedin.com/profile/add?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": document["name"],
            "organizationName": document["issuer"]["name"],
            "issueYear": issued.year,
            "issueMonth": issued.month,
            "certUrl": page_url,
            "certId": document["id"].removeprefix("urn:uuid:"),
        }
    )


@dataclass(frozen=True)
class Shown:
    """What a page shows of a signed credential, read from the document itself, so the page
    says exactly what the credential says."""

    name: str
    achievement: str
    description: str
    organization: str
    organization_url: str
    earner: str
    started: datetime.datetime | None
    ended: datetime.datetime | None
    awarded: datetime.datetime
    issued: datetime.datetime
    criteria: str
    skills: list[tuple[str, str]]  # (skill, level observed)


def _moment(value) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def shown(document: dict) -> Shown:
    subject = document["credentialSubject"]
    achievement = subject["achievement"]
    levels = {
        level["id"]: level["name"]
        for description in achievement.get("resultDescription", [])
        for level in description.get("rubricCriterionLevel", [])
    }
    skills = [
        (result["alignment"][0]["targetName"], levels.get(result["achievedLevel"], ""))
        for result in subject.get("result", [])
        if result.get("achievedLevel") and result.get("alignment")
    ]
    name = next(
        (i["identityHash"] for i in subject.get("identifier", []) if i["identityType"] == "name"),
        "",
    )
    return Shown(
        name=document["name"],
        achievement=achievement["name"],
        description=achievement["description"],
        organization=achievement["creator"]["name"],
        organization_url=achievement["creator"]["id"],
        earner=name,
        started=_moment(subject.get("activityStartDate")),
        ended=_moment(subject.get("activityEndDate")),
        awarded=_moment(document.get("awardedDate") or document["validFrom"]),
        issued=_moment(document["validFrom"]),
        criteria=achievement["criteria"].get("narrative", ""),
        skills=skills,
    )
