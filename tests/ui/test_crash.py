"""An unexpected error in the UI ends in one sentence and a log file, never a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_an_unexpected_error_prints_one_sentence_not_a_traceback(tmp_path, station, db_path):
    script = tmp_path / "crash.py"
    script.write_text(textwrap.dedent(f"""
        import asyncio
        from checkpoint.app import CheckpointApp
        from checkpoint.store import open_store

        class Broken(CheckpointApp):
            def on_mount(self):
                raise RuntimeError("boom 110105194912310021")

        store = open_store({str(db_path)!r})
        Broken(store).run(headless=True)
    """))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "110105194912310021" not in output  # no personal data on the screen
    assert "意外错误" in output
    log = db_path.parent / "logs" / "checkpoint-errors.log"
    assert "boom" in log.read_text(encoding="utf-8")
