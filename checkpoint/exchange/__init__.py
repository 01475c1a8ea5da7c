"""What crosses the USB stick, both directions, without a database or a screen: the detached
signature over a manifest's exact bytes (`signature`) and the encryption of the files that name a
person to the township's key (`sealed`). The services that write and read bundles use these.
"""

from __future__ import annotations

from checkpoint.errors import RefusedError


class BundleRejected(RefusedError):
    """A bundle that fails a check: the reason is the message; nothing of it may be used."""
