"""The names and versions of the files that cross the USB stick, written once: each file carries
its `"format"` and `"version"`, and a reader refuses a file of another format by name.

Station → township (the daily bundle, services/export.py), read by township/collect.py; township →
stations (the township bundle, township/bundle.py), read by services/township_import.py; and the
small files passed between stations and the township by hand (public keys, revocation lists).
"""

from __future__ import annotations

# The daily bundle. 2: detached signature over the manifest's bytes, sealed personal files, audit head.
DAILY_MANIFEST = "checkpoint-daily-manifest"
DAILY_SUMMARY = "checkpoint-daily-summary"
DAILY_VERSION = 2

# The township's bundle. 2: detached signature over the manifest's bytes, encryption key, key changes.
TOWNSHIP_MANIFEST = "checkpoint-township-manifest"
TRUST_LIST = "checkpoint-trust-list"
TOWNSHIP_POLICY = "checkpoint-township-policy"
KEY_CHANGES = "checkpoint-key-changes"       # key-changes.json: every announcement below
KEY_CHANGE = "checkpoint-key-change"         # one announcement of a new township key, signed by the old
TOWNSHIP_VERSION = 2

# Passed by hand, and inside both bundles.
REVOCATIONS = "checkpoint-revocations"
PUBLIC_KEY = "checkpoint-public-key"
