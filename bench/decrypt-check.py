#!/usr/bin/env python3
"""What someone holding a copy of Helio's SQLite database and the key files of today can decrypt (ADR 0002, 0027).

Usage: bench/decrypt-check.py <copy.db> <keys dir> <user id> [--expect none|all]
Tries every kek-*.key in <keys dir> on the user's wrapped data key in <copy.db>; if one unwraps it, decrypts the
user's e-mail ciphertext. Also counts, over every data key in the copy, how many any key file unwraps.
Prints one line per finding; with --expect, exits 1 when the finding differs (none: nothing of the user may decrypt;
all: the user's data must decrypt). Needs python3-cryptography.
"""
import base64
import glob
import os
import sqlite3
import sys
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def unwrap(keks, key_id, user_id, wrapped):
    ad = f"helio:dek:v1:{key_id.hex}:{user_id.hex}".encode()
    for kek in keks:
        try:
            # nonce(12) | tag(16) | key; the library takes ciphertext || tag
            return AESGCM(kek).decrypt(wrapped[:12], wrapped[28:] + wrapped[12:28], ad)
        except InvalidTag:
            pass
    return None


def decrypt_field(data_key, user_id, field, cipher):
    # version(1) | key id(16) | nonce(12) | tag(16) | ciphertext
    ad = f"helio:v1:{field}:{user_id.hex}".encode()
    return AESGCM(data_key).decrypt(cipher[17:29], cipher[45:] + cipher[29:45], ad).decode()


def main():
    copy, keys_dir, user = sys.argv[1], sys.argv[2], uuid.UUID(sys.argv[3])
    expect = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--expect" else None
    keks = [base64.b64decode(open(f).read().strip()) for f in sorted(glob.glob(os.path.join(keys_dir, "kek-*.key")))]
    db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    rows = db.execute('SELECT "Id", "UserId", "WrappedKey" FROM user_data_keys').fetchall()
    unwrappable = sum(1 for r in rows if unwrap(keks, uuid.UUID(r[0]), uuid.UUID(r[1]), r[2]) is not None)
    print(f"  {os.path.basename(copy)}: {len(keks)} key file(s) today unwrap {unwrappable} of its {len(rows)} data keys")
    row = db.execute('SELECT k."Id", k."WrappedKey", u."EmailCipher" FROM user_data_keys k JOIN users u ON u."Id" = k."UserId" '
                     'WHERE k."UserId" = ?', (str(user).upper(),)).fetchone()
    decrypted = False
    if row is None:
        print(f"  {os.path.basename(copy)}: holds no data key for the user")
    else:
        key = unwrap(keks, uuid.UUID(row[0]), user, row[1])
        if key is None:
            print(f"  {os.path.basename(copy)}: the user's data key unwraps with none of today's key files: nothing of theirs decrypts")
        else:
            email = decrypt_field(key, user, "users.email", row[2])
            decrypted = True
            print(f"  {os.path.basename(copy)}: the user's data key unwraps; their e-mail decrypts ({len(email)} characters)")
    if expect == "none" and decrypted:
        sys.exit(1)
    if expect == "all" and not decrypted:
        sys.exit(1)


main()
