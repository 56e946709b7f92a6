from django.apps import AppConfig
from django.core.signals import setting_changed


def _forget_keys(setting, **kwargs):
    """Tests and operators change the key settings; the next signature reads them again."""
    if setting in {"CREDENTIALS_SIGNING_KEYS", "CREDENTIALS_KEY_FILE", "SITE_URL"}:
        from practicum.credentials import keys

        keys.forget()


class CredentialsConfig(AppConfig):
    name = "practicum.credentials"
    label = "credentials"
    verbose_name = "Credentials"

    def ready(self):
        from practicum.accounts.signals import account_deleted
        from practicum.credentials import handlers  # noqa: F401  (registers on the lifecycle)
        from practicum.credentials.services import revoke_when_account_deleted

        setting_changed.connect(_forget_keys, dispatch_uid="credentials_keys")
        account_deleted.connect(
            revoke_when_account_deleted, dispatch_uid="credentials.revoke_when_account_deleted"
        )
