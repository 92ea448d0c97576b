"""Passphrase encryption of a backup archive, as a stream (``cryptography``: scrypt and AES-256-GCM).

Layout: a 34-byte header (magic, scrypt cost, salt, nonce prefix), then the
archive in 1 MiB chunks, each sealed with AES-GCM under a nonce made of the
prefix, the chunk's number and a last-chunk flag, with the header as associated
data (the "STREAM" construction of Hoang, Reyhanitabar, Rogaway and Vizár, as
used by age and Tink). Reordered, dropped, truncated or altered chunks and a
wrong passphrase all fail authentication. Fixed-size chunks make the plaintext
seekable, which ``zipfile`` needs, without ever writing it to disk.
"""

from __future__ import annotations

import io
import os
import struct
from functools import lru_cache
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from rsqm.backup.manifest import BadArchive

MAGIC = b"RSQMENC1"
CHUNK = 1 << 20
TAG = 16
SALT = 16
PREFIX = 7
HEADER = len(MAGIC) + 3 + SALT + PREFIX
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 17, 8, 1  # 128 MiB per guess: OWASP's recommended minimum for scrypt
MIN_PASSPHRASE = 12


class WrongPassphrase(BadArchive):
    """The passphrase does not open this backup (or its first bytes are damaged)."""


def check_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValueError(f"the passphrase is too short: use at least {MIN_PASSPHRASE} characters")
    return passphrase


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def check_header(header: bytes) -> None:
    """Refuse a header before any key is derived: only the cost rsqm writes, so a crafted file cannot ask for minutes and gigabytes."""
    if len(header) < HEADER or not is_encrypted(header):
        raise BadArchive("not an encrypted rsqm backup (no rsqm header)")
    log2_n, r, p = header[len(MAGIC) : len(MAGIC) + 3]
    if (log2_n, r, p) != (SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P):
        raise BadArchive(
            f"its encryption header asks for a key-derivation cost (scrypt N=2^{log2_n}, r={r}, p={p}) that rsqm never writes "
            f"(it writes N=2^{SCRYPT_LOG2_N}, r={SCRYPT_R}, p={SCRYPT_P}): the file is damaged or was not written by rsqm backup"
        )


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> AESGCM:
    return AESGCM(_derive(passphrase, salt, log2_n, r, p))


@lru_cache(maxsize=2)
def _derive(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    """scrypt, deliberately slow; remembered so that restore's second pass over the same file does not pay again."""
    return Scrypt(salt=salt, length=32, n=1 << log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


class EncryptingWriter:
    """A write-only stream that seals what is written into ``target``; ``close`` seals the last chunk."""

    def __init__(self, target: BinaryIO, passphrase: str):
        salt, self._prefix = os.urandom(SALT), os.urandom(PREFIX)
        self._header = MAGIC + bytes((SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)) + salt + self._prefix
        self._aead = _key(passphrase, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
        self._target = target
        self._buffer = bytearray()
        self._index = 0
        self.closed = False
        target.write(self._header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep at least one byte back: the last chunk must be sealed as last
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        self._target.flush()

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True
            self._target.flush()

    def _seal(self, chunk: bytes, last: bool) -> None:
        self._target.write(self._aead.encrypt(_nonce(self._prefix, self._index, last), chunk, self._header))
        self._index += 1


class DecryptingReader(io.RawIOBase):
    """The plaintext of an encrypted backup as a seekable, read-only stream, one chunk in memory."""

    def __init__(self, source: BinaryIO, passphrase: str):
        super().__init__()
        self._source = source
        header = source.read(HEADER)
        check_header(header)
        log2_n, r, p = header[len(MAGIC) : len(MAGIC) + 3]
        salt = header[len(MAGIC) + 3 : len(MAGIC) + 3 + SALT]
        self._header, self._prefix = header, header[-PREFIX:]
        self._aead = _key(passphrase, salt, log2_n, r, p)
        body = source.seek(0, io.SEEK_END) - HEADER
        self._chunks = max(1, -(-body // (CHUNK + TAG)))
        last = body - (self._chunks - 1) * (CHUNK + TAG)
        if last < TAG:
            raise BadArchive("the encrypted backup is truncated")
        self._size = (self._chunks - 1) * CHUNK + last - TAG
        self._position = 0
        self._cached: tuple[int, bytes] | None = None
        try:
            self._chunk(0)
        except BadArchive:
            raise WrongPassphrase("wrong passphrase, or the backup is damaged: nothing was restored") from None

    def finish(self) -> None:
        """Authenticate the last chunk, sealed as last: bytes appended to (or cut from) the file fail here."""
        self._chunk(self._chunks - 1)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer) -> int:
        if self._position >= self._size:
            return 0
        index, offset = divmod(self._position, CHUNK)
        data = self._chunk(index)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def _chunk(self, index: int) -> bytes:
        if self._cached and self._cached[0] == index:
            return self._cached[1]
        last = index == self._chunks - 1
        self._source.seek(HEADER + index * (CHUNK + TAG))
        sealed = self._source.read(CHUNK + TAG)
        try:
            plain = self._aead.decrypt(_nonce(self._prefix, index, last), sealed, self._header)
        except InvalidTag:
            raise BadArchive(f"the encrypted backup is damaged or altered (chunk {index + 1} of {self._chunks})") from None
        self._cached = (index, plain)
        return plain
