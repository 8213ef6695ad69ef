"""Every problem carries its file and line; the GitHub format, the pre-commit hook and the README's CI job."""

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from libya_conflict.validators import validate
from libya_conflict.validators.lines import record_lines


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "libya_conflict.cli", *args], capture_output=True, text=True, cwd=cwd)


def rewrite(folder: Path, table: str, change) -> None:
    """Edit a table as a spreadsheet user would, saving it back as CSV."""
    path = folder / "data" / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    change(rows[0], rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def line_starting_with(path: Path, prefix: str) -> int:
    """The test's own count: the first physical line of the file that starts with ``prefix``."""
    for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if text.startswith(prefix):
            return number
    raise AssertionError(f"{prefix!r} not in {path}")


def test_record_lines_count_quoted_newlines_and_blank_lines():
    data = b'id,text\r\na,"one\r\ntwo\r\nthree"\r\n\r\nb,"say ""hi""\nthere"\nc,x'
    assert record_lines(data).tolist() == [2, 6, 8]
    assert record_lines(b"\xef\xbb\xbfid\na\n").tolist() == [2]


def test_a_problem_after_a_multiline_cell_names_the_line_a_spreadsheet_shows(package_copy):
    def change(header, rows):
        rows[3][header.index("description_en")] = "A description\nwritten on\nthree lines in Excel"
        rows[40][header.index("status")] = "occured"

    rewrite(package_copy, "events", change)
    with open(package_copy / "data" / "events.csv", encoding="utf-8", newline="") as f:
        broken = list(csv.reader(f))[40][0]
    report = validate(package_copy)
    problem = next(p for p in report.problems if p.rule == "column.enum")
    assert (problem.file, problem.row) == ("data/events.csv", broken)
    expected = line_starting_with(package_copy / "data" / "events.csv", broken + ",")
    assert problem.line == expected == 41 + 2  # two more lines than records above it
    payload = json.loads(cli("validate", str(package_copy), "--format", "json").stdout)
    listed = next(p for p in payload["problems"] if p["rule"] == "column.enum")
    assert (listed["file"], listed["line"]) == ("data/events.csv", expected)
    assert f"data/events.csv line {expected}, row {broken}" in cli("validate", str(package_copy)).stdout


def test_every_problem_names_a_file(package_copy):
    def change(header, rows):
        rows[1][header.index("quote")] = "نص لا يوجد في المقال"
        rows[2][header.index("claim_id")] = rows[1][header.index("claim_id")]  # a duplicated key

    rewrite(package_copy, "claims", change)
    descriptor = json.loads((package_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../elsewhere.csv"
    (package_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (package_copy / "data" / "retired_ids.csv").unlink()
    report = validate(package_copy)
    assert len(report.problems) > 5
    assert all(p.file for p in report.problems), [p for p in report.problems if not p.file]
    files = {p.file for p in report.problems}
    assert {"data/claims.csv", "data/actors.csv", "data/retired_ids.csv"} <= files
    for p in report.problems:
        if p.row and p.file == "data/claims.csv":
            found = line_starting_with(package_copy / "data" / "claims.csv", p.row + ",")
            assert p.line == found or p.line > found, (p.row, p.line)  # a duplicate key: its own, later line
    missing = next(p for p in report.problems if p.table == "retired_ids")
    assert missing.line is None  # no file, so no line


def test_a_descriptor_that_is_not_json_names_its_line(package_copy):
    (package_copy / "datapackage.json").write_text('{\n  "name": "x",\n  "resources": [\n', encoding="utf-8")
    problem = next(p for p in validate(package_copy).problems if p.rule == "integrity.unreadable")
    assert problem.file == "datapackage.json" and problem.line == 4


def parse_annotation(line: str) -> tuple[dict, str]:
    match = re.fullmatch(r"::error (?P<props>[^:]*)::(?P<message>.*)", line)
    assert match, line
    props = dict(item.split("=", 1) for item in match.group("props").split(","))
    return props, match.group("message")


def test_github_format_prints_one_annotation_per_problem_on_its_line(package_copy):
    def change(header, rows):
        rows[5][header.index("status")] = "100% done\nreally"  # percent and a newline must be escaped

    rewrite(package_copy, "events", change)
    result = cli("validate", str(package_copy), "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    annotations = [parse_annotation(line) for line in lines if line.startswith("::")]
    assert len(annotations) == len(validate(package_copy).problems) and lines[-1].startswith("INVALID")
    props, message = next(a for a in annotations if a[0]["title"] == "column.enum")
    assert props["file"] == "data/events.csv"
    assert int(props["line"]) == line_starting_with(
        package_copy / "data" / "events.csv", message.split("row ")[1].split(",")[0] + ","
    )
    assert "100%25 done" in message
    assert cli("validate", "--format", "github").stdout.startswith("valid")


def test_github_annotations_escape_what_the_runner_would_misread():
    from libya_conflict.validators.report import Problem, Report

    report = Report(problems=[Problem("t", "r,1", "c", "rule.x", "line one\nline two: 5%\r", "data/a:b,c.csv", 7)])
    props, message = parse_annotation(report.to_github().splitlines()[0])
    assert props == {"file": "data/a%3Ab%2Cc.csv", "line": "7", "title": "rule.x"}
    assert message == "t, row r,1, column c: line one%0Aline two: 5%25%0D"


def test_the_pre_commit_hook_runs_the_validator(root):
    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "libya-conflict-validate")
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "data/events.csv") and re.search(hook["files"], "data/sources/000_x.txt")
    assert not re.search(hook["files"], "README.md")
    command = hook["entry"].split()
    assert command[0] == "libya-conflict"  # the console script pip installs
    result = subprocess.run(
        [str(Path(sys.executable).with_name(command[0])), *command[1:]], capture_output=True, text=True, cwd=root
    )
    assert result.returncode == 0 and result.stdout.startswith("valid"), result.stdout[-2000:]


def test_the_readme_ci_job_is_ten_lines_that_validate_with_annotations(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    job = re.search(r"```yaml\n(.*?)```", readme, re.S).group(1)
    assert len(job.strip().splitlines()) == 10
    workflow = yaml.safe_load(job)
    steps = workflow["jobs"]["validate"]["steps"]
    assert steps[-1]["run"] == "pip install . && libya-conflict validate --format github"
    assert workflow[True] == ["push", "pull_request"]  # YAML 1.1 reads the key `on` as true
