import hashlib
import secrets

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from practicum.core.timezones import validate_timezone


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, account_type=User.AccountType.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. What they can do follows from account_type and their memberships."""

    class AccountType(models.TextChoices):
        STUDENT = "student", "Student"
        ORGANIZATION = "organization", "Organization member"
        CAREER_CENTER = "career_center", "Career-center staff"
        ADMIN = "admin", "Platform admin"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=150)
    account_type = models.CharField(max_length=20, choices=AccountType.choices)
    timezone = models.CharField(
        max_length=64, default="UTC", validators=[validate_timezone], help_text="IANA name"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]
    objects = UserManager()

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def save(self, *args, **kwargs):
        # Django's set_password keeps the new raw password until the save: every way of changing
        # it (the password page, a reset link, the admin, changepassword) passes through here.
        password_changed = self.pk is not None and self._password is not None
        super().save(*args, **kwargs)
        if password_changed:
            # A changed password ends every API token: a leaked token dies with the old password.
            ApiToken.objects.filter(user=self, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_student(self) -> bool:
        return self.account_type == self.AccountType.STUDENT

    def has_perm(self, perm, obj=None):
        """On an object, the app rules (`rules` permissions) decide for everyone: Django's
        shortcut that gives a superuser every permission would make a platform admin a party
        to every engagement (post as the organization, read private notes and hidden reviews).
        Without an object (model permissions, which the Django admin checks and logs), the
        shortcut stays: support work goes through the admin."""
        if obj is not None and rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class Institution(models.Model):
    """A university or college whose career center uses Practicum. Created by platform admins."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    website = models.URLField(blank=True)
    country = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_staff_url(self):
        return reverse("accounts:institution_staff", args=[self.slug])


class Organization(models.Model):
    class Size(models.TextChoices):
        MICRO = "1-10", "1–10 people"
        SMALL = "11-50", "11–50 people"
        MEDIUM = "51-250", "51–250 people"
        LARGE = "251-1000", "251–1,000 people"
        ENTERPRISE = "1000+", "More than 1,000 people"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    about = models.TextField(blank=True, max_length=10_000, help_text="Markdown")
    website = models.URLField(blank=True)
    size = models.CharField(max_length=10, choices=Size.choices, blank=True)
    industry = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=200, blank=True)
    is_verified = models.BooleanField(
        "verified",
        default=False,
        help_text="Set by platform admins after checking the organization.",
    )
    verification_requested_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an owner asked to be verified; cleared once an admin has decided.",
    )
    # Public: shown on the organization's page and its projects; stored under a random name
    # (core.images) after being redrawn.
    logo = models.FileField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:organization", args=[self.slug])

    @property
    def logo_url(self) -> str:
        """The logo's public address, "" without one. It names the stored file, so a new logo
        is a new address and caches never show the old one."""
        if not self.logo:
            return ""
        version = self.logo.name.rsplit("/", 1)[-1].split(".")[0]
        return reverse("accounts:logo", args=[self.slug]) + f"?v={version}"


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MENTOR = "mentor", "Mentor"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]
        ordering = ["organization", "role", "created_at"]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} at {self.organization}"


class InstitutionStaff(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="staff")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "institution staff"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="one_staff_role_per_institution"
            )
        ]

    def __str__(self):
        return f"{self.user} – staff at {self.institution}"


class Invitation(models.Model):
    """An emailed, single-use link to join an organization (as mentor) or an institution (as staff).

    Only the token's hash is stored: whoever reads the database cannot accept an invitation.
    """

    VALID_FOR = timezone.timedelta(days=7)

    email = models.EmailField()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=10, choices=Membership.Role.choices, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, institution__isnull=True)
                | Q(organization__isnull=True, institution__isnull=False),
                name="invitation_to_exactly_one_body",
            )
        ]

    def __str__(self):
        return f"Invitation for {self.email} to {self.organization or self.institution}"

    @property
    def target(self):
        return self.organization or self.institution

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


def default_token_expiry():
    return timezone.now() + timezone.timedelta(days=ApiToken.DEFAULT_DAYS)


class ApiToken(models.Model):
    """A personal API token. Shown once at creation; only its hash is kept.

    It works until it expires or is revoked (by its owner, or by a change of their password),
    and only for reading unless its scope is read-write.
    """

    PREFIX = "pct_"
    DEFAULT_DAYS, MAX_DAYS = 90, 365

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(
        max_length=12, editable=False, help_text="First characters, to tell tokens apart"
    )
    # Tokens made before scopes existed could do everything, so they keep read-write.
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.WRITE)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_token_expiry)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at", "expires_at"])]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"
