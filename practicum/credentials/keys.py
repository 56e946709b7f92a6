"""The platform's signing keys: Ed25519 JSON Web Keys, the first one signs, all of them verify.

Where they come from, in order:
- `CREDENTIALS_SIGNING_KEYS` (settings, from the environment): a JWK Set `{"keys": [...]}` or a
  list of JWKs, the signing key first with its private part ("d");
- otherwise the file `CREDENTIALS_KEY_FILE` (git-ignored, in the project folder by default),
  created with one new key the first time a credential is signed. Back it up: it is the
  instance's identity, like a secret key.

Rotation keeps old credentials verifiable: a new key goes first and signs from then on; the
old ones stay in the set and `/.well-known/jwks.json` keeps publishing their public parts. A
retired key may be kept without its "d" (verify only). Every JWT names its key in the `kid`
header: the JWKS URL with the key's RFC 7638 thumbprint as fragment, the same `kid` the JWKS
gives the key, so both Open Badges verifiers (which dereference `kid`) and JOSE libraries
(which match it in the JWKS) find it.
"""

import contextlib
import functools
import json
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc import jws
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import OKPKey

# RFC 9864 names the algorithm "Ed25519"; wallets and Open Badges verifiers still expect the
# older "EdDSA" (RFC 8037), so credentials are signed with it and both are accepted.
ALGORITHM = "EdDSA"
ACCEPTED = ["EdDSA", "Ed25519"]
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)


@dataclass(frozen=True)
class KeyRing:
    signing: OKPKey
    thumbprint: str  # of the signing key
    public: dict[str, OKPKey]  # thumbprint → public key, signing key first


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def jwks_url() -> str:
    return f"{site_url()}/.well-known/jwks.json"


def kid_of(thumbprint: str) -> str:
    return f"{jwks_url()}#{thumbprint}"


def thumbprint_of(kid: str) -> str:
    """The thumbprint a `kid` names (ours are URIs ending in #thumbprint)."""
    return kid.rsplit("#", 1)[-1]


def new_key() -> dict:
    """A fresh Ed25519 private JWK."""
    return OKPKey.generate_key("Ed25519", private=True).as_dict(private=True)


def _parse(raw, source: str) -> list[dict]:
    data = json.loads(raw) if isinstance(raw, str) else raw
    keys = data.get("keys") if isinstance(data, dict) else data
    if not isinstance(keys, list) or not keys or not all(isinstance(k, dict) for k in keys):
        raise ImproperlyConfigured(f"{source}: give a JWK Set {{'keys': [...]}} or a list of JWKs.")
    return keys


def _read_or_create(path: Path) -> list[dict]:
    """The key file's keys; a new file with one new key when there is none. Several processes
    starting together each write a complete temporary file and link it into place: one wins,
    the others read the winner's."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".credential-keys-")
        try:
            with os.fdopen(fd, "w") as handle:
                json.dump({"keys": [new_key()]}, handle, indent=2)
            os.chmod(temporary, 0o600)
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return _parse(path.read_text(), str(path))


def _load() -> KeyRing:
    configured = settings.CREDENTIALS_SIGNING_KEYS
    if configured:
        source = "CREDENTIALS_SIGNING_KEYS"
        try:
            jwks = _parse(configured, source)
        except json.JSONDecodeError as exc:
            raise ImproperlyConfigured(f"{source} is not valid JSON: {exc}") from exc
    else:
        source = str(settings.CREDENTIALS_KEY_FILE)
        jwks = _read_or_create(Path(settings.CREDENTIALS_KEY_FILE))
    public: dict[str, OKPKey] = {}
    for position, jwk in enumerate(jwks):
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            raise ImproperlyConfigured(f"{source}: key {position + 1} is not an Ed25519 OKP key.")
        try:
            key = OKPKey.import_key(jwk)
        except (JoseError, ValueError) as exc:
            raise ImproperlyConfigured(f"{source}: key {position + 1} is invalid: {exc}") from exc
        if position == 0 and not key.is_private:
            raise ImproperlyConfigured(f"{source}: the first key signs; it needs its private part.")
        public_key = OKPKey.import_key(key.as_dict(private=False))
        public[public_key.thumbprint()] = public_key
    signing = OKPKey.import_key(jwks[0])
    return KeyRing(signing=signing, thumbprint=signing.thumbprint(), public=public)


@functools.cache
def ring() -> KeyRing:
    return _load()


def forget() -> None:
    ring.cache_clear()


def rotate() -> str:
    """A new signing key first in the key file, the others kept: the new key's thumbprint.
    Keys given in CREDENTIALS_SIGNING_KEYS are rotated by changing that setting."""
    if settings.CREDENTIALS_SIGNING_KEYS:
        raise ImproperlyConfigured(
            "The keys come from CREDENTIALS_SIGNING_KEYS: put a new key first in it."
        )
    path = Path(settings.CREDENTIALS_KEY_FILE)
    keys = [new_key(), *_read_or_create(path)]
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".credential-keys-")
    with os.fdopen(fd, "w") as handle:
        json.dump({"keys": keys}, handle, indent=2)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    forget()
    return ring().thumbprint


def jwks() -> dict:
    """The public JWK Set: every key that may have signed a credential still valid."""
    return {
        "keys": [
            {
                **key.as_dict(private=False),
                "kid": kid_of(thumbprint),
                "alg": ALGORITHM,
                "use": "sig",
            }
            for thumbprint, key in ring().public.items()
        ]
    }


def sign(claims: dict) -> tuple[str, str]:
    """(compact JWS of `claims`, thumbprint of the key that signed it)."""
    keys = ring()
    header = {"alg": ALGORITHM, "kid": kid_of(keys.thumbprint), "typ": "JWT"}
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode()
    token = jws.serialize_compact(header, payload, keys.signing, algorithms=[ALGORITHM])
    return token, keys.thumbprint


class Unverifiable(Exception):
    """The token is not a JWS we can check, or its signature does not hold: `code` says which."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def verify(token: str) -> tuple[dict, dict]:
    """(header, claims) of a compact JWS signed by one of the platform's keys. Unverifiable
    "malformed" (not a compact JWS of a JSON object), "unknown_key" (no `kid` of ours) or
    "bad_signature"."""
    try:
        header = jws.extract_compact(token.encode()).headers()
    except (JoseError, ValueError, UnicodeError) as exc:
        raise Unverifiable("malformed") from exc
    if header.get("alg") not in ACCEPTED:
        raise Unverifiable("bad_signature")
    key = ring().public.get(thumbprint_of(str(header.get("kid", ""))))
    if key is None:
        raise Unverifiable("unknown_key")
    try:
        payload = jws.deserialize_compact(token, key, algorithms=ACCEPTED).payload
    except JoseError as exc:
        raise Unverifiable("bad_signature") from exc
    try:
        claims = json.loads(payload)
    except (ValueError, UnicodeError) as exc:
        raise Unverifiable("malformed") from exc
    if not isinstance(claims, dict):
        raise Unverifiable("malformed")
    return header, claims
