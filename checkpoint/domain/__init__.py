"""Pure rules and values: validation, policy, masking. No I/O, no Textual."""
