"""checkpoint: the registration desk of a township road checkpoint (卡点)."""

__version__ = "0.1.0"
