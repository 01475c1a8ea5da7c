"""The offline USB kits of checkpoint (`python -m kit`): a Windows folder to unzip and run, and a
Linux wheelhouse with an installer. Built on a networked Linux machine from PyPI alone; see
docs/使用说明.md (section 11) for the township's IT person and README.md ("The USB kits") for how
it is put together."""
