"""Use cases: one function per thing a person does. Each takes a Store and plain values, returns
plain results, and raises only the program's own errors (checkpoint.errors)."""
