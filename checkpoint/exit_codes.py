"""Exit codes of every command, named once (0 done, 1 refused by a rule, 2 bad input, 3 internal error)."""

DONE = 0
REFUSED = 1
BAD_INPUT = 2
INTERNAL = 3   # an error the program did not expect: one sentence, the traceback in the log file
