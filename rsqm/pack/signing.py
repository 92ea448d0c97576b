"""Signed packs: an Ed25519 key of the service signs the exact bytes of a pack's manifest.

``rsqm verify`` without a key can only tell that a pack agrees with its own
manifest: whoever rewrites a file and the manifest together passes. The
signature closes that gap for an assessor who knows the service's key: the
service sends the public key's fingerprint separately (in the covering letter),
and ``rsqm verify PACK.zip --key FINGERPRINT`` fails unless that very key signed
the manifest. The private key stays in ``.rsqm/`` (never exported); the
signature file carries the public key, so verifying needs nothing but the ZIP
and the fingerprint.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from pathlib import Path
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError

from rsqm.base.errors import InputRefused
from rsqm.base.paths import STATE_DIR
from rsqm.workspace.store import Store

PRIVATE_KEY_FILE = f"{STATE_DIR}/signing-key.pem"
PUBLIC_KEY_FILE = f"{STATE_DIR}/signing-key.pub.pem"
SIGNATURE_SCHEMA = "rsqm/signature@1"
_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class SigningError(InputRefused):
    """The service's signing key is missing, unreadable, or would be overwritten."""


class SignatureProblem(InputRefused):
    """A pack's signature is malformed, does not match its manifest, or is by another key."""


def fingerprint(public: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, in 16 groups of 4 hex digits: easy to read out and compare."""
    digest = hashlib.sha256(public.public_bytes(*_RAW)).hexdigest()
    return "-".join(digest[i : i + 4] for i in range(0, 64, 4))


def normalise_fingerprint(text: str) -> str | None:
    """A fingerprint typed with or without separators or the ``SHA256:`` prefix, or None when it is not one."""
    digits = re.sub(r"[\s:\-]", "", text.strip().lower().removeprefix("sha256:"))
    if not re.fullmatch(r"[0-9a-f]{64}", digits):
        return None
    return "-".join(digits[i : i + 4] for i in range(0, 64, 4))


def new_key(root: Path, actor: str, *, replace: bool = False) -> str:
    """Create the workspace's key pair under ``.rsqm/``; returns the public key's fingerprint."""
    store = Store(root, actor)
    if store.token(PRIVATE_KEY_FILE) is not None and not replace:
        raise SigningError(f"{PRIVATE_KEY_FILE} already exists; packs signed with it verify only with it (use --replace to make a new one)")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    store.write(PRIVATE_KEY_FILE, pem, change="new signing key (private)")  # the store writes files readable by the owner only
    store.write(PUBLIC_KEY_FILE, public_pem, change="new signing key (public)")
    return fingerprint(private.public_key())


def load_private_key(root: Path) -> Ed25519PrivateKey:
    path = Path(root) / PRIVATE_KEY_FILE
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise SigningError(f"no signing key: create one with 'rsqm keys new' ({PRIVATE_KEY_FILE})") from None
    except (OSError, ValueError, TypeError) as exc:
        raise SigningError(f"{PRIVATE_KEY_FILE}: cannot read the signing key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{PRIVATE_KEY_FILE}: not an Ed25519 key")
    return key


class SignatureFile(BaseModel):
    """manifest.sig, exactly: these keys in this order, nothing else (the verifier also compares the bytes)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: Literal["rsqm/signature@1"]
    algorithm: Literal["ed25519"]
    signed: Literal["manifest.json"]
    public_key: StrictStr
    fingerprint: StrictStr
    signature: StrictStr

    def to_bytes(self) -> bytes:
        data = {"schema": self.schema_, **self.model_dump(exclude={"schema_"})}
        return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def sign_manifest(key: Ed25519PrivateKey, manifest: bytes) -> bytes:
    """The content of manifest.sig: the public key and the signature over the manifest's exact bytes."""
    public = key.public_key()
    return SignatureFile(
        schema_=SIGNATURE_SCHEMA,
        algorithm="ed25519",
        signed="manifest.json",
        public_key=base64.b64encode(public.public_bytes(*_RAW)).decode("ascii"),
        fingerprint=fingerprint(public),
        signature=base64.b64encode(key.sign(manifest)).decode("ascii"),
    ).to_bytes()


def trusted_fingerprint(text: str) -> str:
    """The fingerprint named by ``--key``: a fingerprint, or a public key file (PEM) whose fingerprint is taken."""
    if normalised := normalise_fingerprint(text):
        return normalised
    path = Path(text).expanduser()
    if not path.is_file():
        raise SigningError(f"{text}: neither a key fingerprint (64 hex digits) nor a public key file")
    try:
        key = serialization.load_pem_public_key(path.read_bytes()[: 64 * 1024])
    except (OSError, ValueError, TypeError) as exc:
        raise SigningError(f"{text}: not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningError(f"{text}: not an Ed25519 public key")
    return fingerprint(key)


def check_signature(signature: bytes, manifest: bytes, trusted: str | None) -> str:
    """The fingerprint of the key that validly signed ``manifest``; raises ``SignatureProblem`` otherwise.

    With ``trusted`` (a normalised fingerprint) the signing key must be that one.
    The file must be exactly what ``sign_manifest`` writes: its keys, its
    layout, a ``fingerprint`` that is the key's, and nothing after it.
    """
    try:
        data = json.loads(signature.decode("utf-8"))
        if isinstance(data, dict) and "schema" in data:
            data["schema_"] = data.pop("schema")
        parsed = SignatureFile.model_validate(data)
    except ValidationError as exc:  # a ValueError too: first
        wrong = exc.errors()[0]
        where = ".".join(str(part) for part in wrong["loc"]).replace("schema_", "schema") or "the file"
        raise SignatureProblem(f"unreadable: not an {SIGNATURE_SCHEMA} file ({where}: {wrong['msg'].lower()})") from None
    except (ValueError, UnicodeDecodeError):
        raise SignatureProblem("unreadable: not an rsqm signature file (not JSON)") from None
    if parsed.to_bytes() != signature:
        raise SignatureProblem(
            f"refused: not laid out exactly as rsqm writes it ({len(signature)} bytes where {len(parsed.to_bytes())} "
            "are expected: extra bytes, spacing or key order differ)"
        )
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(parsed.public_key, validate=True))
        raw_signature = base64.b64decode(parsed.signature, validate=True)
    except (ValueError, binascii.Error):
        raise SignatureProblem("unreadable: its public key or signature is not valid base64 of the right length") from None
    if parsed.fingerprint != fingerprint(public):
        raise SignatureProblem(
            f"refused: its fingerprint field says {parsed.fingerprint}, but its public key's fingerprint is {fingerprint(public)}"
        )
    try:
        public.verify(raw_signature, manifest)
    except InvalidSignature:
        raise SignatureProblem("does not match: manifest.json was changed after it was signed") from None
    signer = fingerprint(public)
    if trusted is not None and signer != trusted:
        raise SignatureProblem(f"signed by another key ({signer}), not by {trusted}")
    return signer
