"""The offline USB kits of checkpoint (`python -m kit`): a Windows folder to unzip and run, and a
Linux wheelhouse with an installer. Built on a networked Linux machine from PyPI alone; see
docs/使用说明.md for the township's IT person and kit/README.md for how it is put together."""
