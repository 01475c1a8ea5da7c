"""Exit codes of every command, named once (0 done, 1 refused by a rule, 2 bad input)."""

DONE = 0
REFUSED = 1
BAD_INPUT = 2
