from checkpoint.console import run

run()
