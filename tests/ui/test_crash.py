"""An unexpected error ends in one sentence without data, the internal-error exit code (3) and a log
file with the traceback under the user data folder - in the CLI, the station app and the township
dashboard (issue #16, hole 9). The error's own text carries personal data on purpose."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest

from checkpoint import crash_log, exit_codes

SECRET_ID, SECRET_NAME = "110105194912310021", "欧阳春晓"
BOOM = f"boom {SECRET_ID} {SECRET_NAME}"


def assert_no_data_and_logged(output: str) -> None:
    assert "Traceback" not in output and 'File "' not in output
    assert SECRET_ID not in output and SECRET_NAME not in output   # no personal data on the screen
    assert str(crash_log.log_path()) in output.replace("\n", "")   # says where the details are
    logged = crash_log.log_path().read_text(encoding="utf-8")
    assert "Traceback" in logged and BOOM in logged


def test_an_unexpected_error_in_the_station_app_prints_one_sentence(tmp_path, station, db_path):
    script = tmp_path / "crash.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from checkpoint.app import CheckpointApp
        from checkpoint.store import open_store

        class Broken(CheckpointApp):
            def on_mount(self):
                raise RuntimeError({BOOM!r})

        store = open_store({str(db_path)!r})
        app = Broken(store)
        app.run(headless=True)
        sys.exit(app.return_code)
    """))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == exit_codes.INTERNAL
    assert "意外错误" in result.stdout + result.stderr
    assert_no_data_and_logged(result.stdout + result.stderr)


def test_an_unexpected_error_in_a_command_prints_one_sentence_and_exits_3(tmp_path, station, db_path):
    # a command whose service fails in a way nobody planned for (the error text names a person)
    script = tmp_path / "cli_crash.py"
    script.write_text(textwrap.dedent(f"""
        from checkpoint import cli
        from checkpoint.services import ledger

        def broken(*args, **kwargs):
            raise KeyError({BOOM!r})

        ledger.day_lines = broken
        cli.main(["--db", {str(db_path)!r}, "log", "--date", "2026-11-24"])
    """))
    station.close()
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == exit_codes.INTERNAL, result.stderr
    assert "内部出错" in result.stderr
    assert_no_data_and_logged(result.stderr)


def shown_on_exit(app_class):
    """The app class, recording what it leaves on the terminal when it closes (its panic text)."""

    class Recording(app_class):
        shown = ""

        def panic(self, *renderables) -> None:
            from rich.console import Console

            console = Console(width=200, record=True, file=io.StringIO())
            for r in renderables:
                console.print(r)
            type(self).shown += console.export_text()
            super().panic(*renderables)

    return Recording


async def test_an_unexpected_error_in_the_station_app_under_pilot(station):
    from checkpoint.app import CheckpointApp

    class Broken(shown_on_exit(CheckpointApp)):
        def action_help(self) -> None:
            raise RuntimeError(BOOM)

    app = Broken(station)
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
    assert app.return_code == exit_codes.INTERNAL
    assert "意外错误" in Broken.shown
    assert_no_data_and_logged(Broken.shown)


@pytest.fixture
def township_db(tmp_path):
    from checkpoint.township import office as township_service
    from checkpoint.township.schema import open_township_store

    path = tmp_path / "town.db"
    with open_township_store(path) as town:
        township_service.init_township(town, "青山镇")
    return path


async def test_an_unexpected_error_in_the_township_dashboard_under_pilot(township_db, monkeypatch):
    from checkpoint.township.dashboard import TownshipApp
    from checkpoint.township import report as township_report
    from checkpoint.township.schema import open_township_store

    def broken(*args, **kwargs):
        raise ValueError(BOOM)

    with open_township_store(township_db) as town:
        app = shown_on_exit(TownshipApp)(town)
        with pytest.raises(ValueError):
            async with app.run_test() as pilot:
                await pilot.pause()
                monkeypatch.setattr(township_report, "build_day", broken)
                await pilot.press("r")          # reload: the report fails as nobody planned
                await pilot.pause()
    assert app.return_code == exit_codes.INTERNAL
    assert "意外错误" in type(app).shown
    assert_no_data_and_logged(type(app).shown)


def test_the_township_dashboard_crash_reaches_the_terminal_as_one_sentence(tmp_path, township_db):
    script = tmp_path / "town_crash.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from checkpoint.township import dashboard as township
        from checkpoint.township import report as township_report

        def broken(*args, **kwargs):
            raise RuntimeError({BOOM!r})

        township_report.latest_day = broken
        original = township.TownshipApp.run
        township.TownshipApp.run = lambda self, **kw: original(self, headless=True)
        sys.exit(township.run_dashboard(township.Path({str(township_db)!r})))
    """))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == exit_codes.INTERNAL, result.stdout + result.stderr
    assert "意外错误" in result.stdout + result.stderr
    assert_no_data_and_logged(result.stdout + result.stderr)
