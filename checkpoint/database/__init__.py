"""The SQLite file both sides keep their records in, without knowing what the records are: opening a
connection with the pragmas, the one way to write (`DatabaseFile.write()`: BEGIN IMMEDIATE, a fair
queue of writers, all or nothing), SQLite's errors in a sentence, numbered migrations, the hash-chained
audit row. The station's database (checkpoint.store) and the township's (checkpoint.township) are
each a DatabaseFile with their own tables; neither knows the other's.
"""
