"""bench/table.py: the README's results tables are rendered from a results file, not typed."""

from __future__ import annotations

import json
import re

import pytest

from bench import table
from bench.stats import met, row, value_row

RESULT = {
    "loaded": True, "reuse": False, "total_seconds": 412.7,
    "machine": {"cpus": 2, "cpu_model": "Example CPU @ 2.20GHz", "platform": "Linux-x", "python": "3.11.9",
                "started_utc": "2026-11-30T18:40:00+00:00", "load_average_start": [2.5, 1.75, 1.5],
                "load_average_end": [3.25, 2.5, 2.0], "cpu_busy_before_start": 0.61},
    "rows": [
        row("save car + 3 persons", {"median_ms": 0.9, "p99_ms": 13.6, "n": 200},
            {"median_ms": 0.3, "p99_ms": 2.0, "n": 200}, "<= 1.5x", "4 bare INSERTs into 2 unindexed tables",
            limit=("ratio", 1.5)),
        row("keystroke | desk", {"median_ms": 70.0, "p99_ms": 80.0, "n": 195},
            {"median_ms": 62.0, "p99_ms": 66.5, "n": 195}, "p99 <= 16 ms over", "an empty app",
            limit=("p99_over_baseline_ms", 16)),
        value_row("keys after the ID", 5, "keys", "<= 5", limit=("median_ms", 5)),
        row("counts, one day", {"median_ms": 3.7, "p99_ms": 4.2, "n": 20}, None, "instant"),
    ],
}


def test_render_holds_the_machine_the_date_and_the_load():
    text = table.render(RESULT)
    assert "`python -m bench --loaded` of 2026-11-30T18:40:00+00:00" in text
    assert "2 CPUs, Example CPU @ 2.20GHz" in text
    assert "2.50 / 1.75 / 1.50 at the start and 3.25 / 2.50 / 2.00 at the end" in text
    assert "61 % of all CPUs busy" in text
    assert "Loaded: yes" in text
    assert "whole run 413 s" in text


def test_render_rows_with_their_baselines_ratios_and_verdicts():
    lines = table.render(RESULT).splitlines()
    save = next(line for line in lines if line.startswith("| save car"))
    assert "| 0.900 ms | 13.60 ms | 200 | 4 bare INSERTs into 2 unindexed tables | 0.300 ms (p99 2.00 ms) | 3.00× |" in save
    assert save.endswith("| ✘ |")
    keystroke = next(line for line in lines if line.startswith("| keystroke"))
    assert "keystroke \\| desk" in keystroke          # a | in a name does not split the row
    assert keystroke.endswith("| ✔ (+13.50 ms) |")
    keys = next(line for line in lines if line.startswith("| keys after"))
    assert "| 5 keys |" in keys and keys.endswith("| ✔ |")
    counts = next(line for line in lines if line.startswith("| counts"))
    assert counts.endswith("| instant |  |")       # no limit: reported, no verdict


def test_met_reads_the_limit():
    save, keystroke, keys, counts = RESULT["rows"]
    assert met(save) is False and met(keystroke) is True and met(keys) is True and met(counts) is None


def test_the_script_writes_between_the_markers_and_nowhere_else(tmp_path):
    results = tmp_path / "results-loaded.json"
    results.write_text(json.dumps(RESULT), encoding="utf-8")
    readme = tmp_path / "README.md"
    before = "# Bench\n\nprose\n\n<!-- bench.table results-loaded.json -->\nold table\n" \
             "<!-- /bench.table results-loaded.json -->\n\nmore prose\n"
    readme.write_text(before, encoding="utf-8")
    assert table.main([str(results), "--readme", str(readme)]) == 0
    after = readme.read_text(encoding="utf-8")
    assert "old table" not in after
    assert after.startswith("# Bench\n\nprose\n\n<!-- bench.table results-loaded.json -->\n`python -m bench --loaded`")
    assert after.endswith("<!-- /bench.table results-loaded.json -->\n\nmore prose\n")
    assert table.render(RESULT) in after
    assert table.main([str(results), "--readme", str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == after      # made again: the same text


@pytest.mark.parametrize("content, message", [
    ("not json", "not a results file"),
    (json.dumps({"rows": []}), "holds no rows"),
    (json.dumps({"rows": [{"median_ms": 1}]}), "a row is not complete"),
])
def test_a_bad_results_file_is_refused_and_the_readme_left_alone(tmp_path, capsys, content, message):
    results = tmp_path / "results.json"
    results.write_text(content, encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("<!-- bench.table results.json -->\nold\n<!-- /bench.table results.json -->\n", encoding="utf-8")
    assert table.main([str(results), "--readme", str(readme)]) == 2
    assert message in capsys.readouterr().err
    assert "old" in readme.read_text(encoding="utf-8")


def test_a_readme_without_the_markers_is_refused(tmp_path, capsys):
    results = tmp_path / "results.json"
    results.write_text(json.dumps(RESULT), encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    assert table.main([str(results), "--readme", str(readme)]) == 2
    assert "<!-- bench.table results.json -->" in capsys.readouterr().err
    assert readme.read_text(encoding="utf-8") == "# no markers\n"


@pytest.mark.parametrize("name", ["results.json", "results-loaded.json", "results-parts-before.json",
                                  "results-parts.json"])
def test_the_readme_tables_are_the_committed_runs(name):
    # the README's tables are exactly what the script makes of the committed results: none typed by hand
    here = table.HERE
    result = table.load_result(here / name)
    readme = (here / "README.md").read_text(encoding="utf-8")
    assert table.write_between(readme, name, table.render(result)) == readme
    assert result["loaded"] is (name == "results-loaded.json")
    assert result["machine"]["cpus"] and result["machine"]["load_average_start"] is not None


def test_the_readme_prose_quotes_no_figure_the_tables_do_not_hold():
    readme = (table.HERE / "README.md").read_text(encoding="utf-8")
    blocks = r"<!-- bench\.table (\S+) -->(.*?)<!-- /bench\.table \1 -->"
    generated = "".join(body for _, body in re.findall(blocks, readme, re.S))
    prose = re.sub(blocks, "", readme, flags=re.S)
    # a time or a size in the prose, not a target ("≤ 3 s"): it must be one the tables hold
    quoted = re.findall(r"(?<!≤ )(?<![≤\d.,])(\d[\d,]*(?:\.\d+)?) ?(ms|s|MB)\b", prose)
    assert quoted, "the prose quotes no figure at all: the pattern is wrong"
    missing = [f"{n} {u}" for n, u in quoted if f"{n} {u}" not in generated]
    assert not missing
