"""Personal data at rest (PIPL): encryption, the keyed search hash and masking.

The mask of an ID number hides characters 7-14, which are exactly the birth date: wherever
the masked number is shown, the birth date must not be, or the two give the number back.
Users without ``labor.view_full_id_number`` therefore see the birth year only (API, admin,
history, exports), and cannot filter or order by the date either.

One secret, ``settings.PERSONAL_DATA_KEY``, is stretched with HKDF into two independent keys:
one encrypts (Fernet: AES-128-CBC + HMAC-SHA256, random IV, so equal numbers encrypt
differently) and one keys the HMAC-SHA256 search hash, which is deterministic so that a
unique constraint and an exact-match search work without decrypting anything. Neither key is
the raw setting, so a leaked hash cannot be used to forge ciphertexts and vice versa.
"""

import base64
import binascii
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FULL_VIEW_PERMISSION = "labor.view_full_id_number"
ID_NUMBER_MASK = "********"
PHONE_MASK = "****"


def _master_key_bytes(key: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = b""
    # A non-base64 setting is still usable key material for HKDF; production checks its shape.
    return raw if len(raw) >= 32 else key.encode("utf-8")


@functools.lru_cache(maxsize=4)
def _derived_keys(key: str) -> tuple[Fernet, bytes]:
    if not key:
        raise ImproperlyConfigured("PERSONAL_DATA_KEY is empty.")
    master = _master_key_bytes(key)

    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)

    fernet = Fernet(base64.urlsafe_b64encode(derive(b"cooperation/labor/personal-data/encryption/v1")))
    return fernet, derive(b"cooperation/labor/personal-data/search-hash/v1")


def _fernet() -> Fernet:
    return _derived_keys(settings.PERSONAL_DATA_KEY)[0]


def encrypt(value: str) -> str:
    """Ciphertext (a Fernet token, ASCII) of ``value``; empty stays empty."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The plain text of a token written by ``encrypt``; empty stays empty."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        # Never include the token or any value: only say which setting is wrong.
        raise ImproperlyConfigured(
            "Stored personal data cannot be decrypted with the current PERSONAL_DATA_KEY."
        ) from None


def search_hash(value: str) -> str:
    """Keyed HMAC-SHA256 (hex) of a normalised value, for uniqueness and exact-match search."""
    key = _derived_keys(settings.PERSONAL_DATA_KEY)[1]
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def _mask(value, *, mask: str, head: int, shortest: int) -> str:
    """``value`` with ``mask`` between its first ``head`` and last four characters; ``mask``
    alone when it is shorter than ``shortest`` (too little would be hidden)."""
    if not value:
        return ""
    value = str(value)
    if len(value) < shortest:
        return mask
    return f"{value[:head]}{mask}{value[-4:]}"


def mask_id_number(value: str) -> str:
    """``513431********1234``: the area code and the last four characters only."""
    return _mask(value, mask=ID_NUMBER_MASK, head=6, shortest=12)


def mask_phone(value: str) -> str:
    """``138****5678``: the first three and last four digits only."""
    return _mask(value, mask=PHONE_MASK, head=3, shortest=8)


def can_view_full(user) -> bool:
    """Whether ``user`` may read ID numbers and phones unmasked (superusers may, by Django's rules)."""
    return bool(user is not None and user.is_authenticated and user.has_perm(FULL_VIEW_PERMISSION))
