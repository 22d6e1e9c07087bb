"""`reports schema` publishes a JSON Schema that editors can use on real fact bases."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import CASES, DATA, ROOT, run_cli


@pytest.fixture(scope="module")
def schema() -> dict[str, object]:
    result = run_cli("schema")
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def as_editor_sees(path: object) -> object:
    # Editors read YAML 1.2: dates are strings there, so round-trip them as text.
    data = yaml.safe_load(open(path, encoding="utf-8"))  # noqa: SIM115
    return json.loads(json.dumps(data, default=str))


def test_schema_is_valid_json_schema(schema: dict[str, object]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["memo"]  # type: ignore[index]


@pytest.mark.parametrize("path", [*sorted(DATA.glob("*.yaml")), CASES / "minimal.yaml"])
def test_valid_fact_bases_pass_the_schema(schema: dict[str, object], path: object) -> None:
    jsonschema.validate(as_editor_sees(path), schema)


def test_schema_rejects_what_the_validator_rejects(schema: dict[str, object]) -> None:
    data = as_editor_sees(CASES / "minimal.yaml")
    data["memo"]["status"] = "urgent"  # type: ignore[index]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_schema_can_be_written_to_a_file(tmp_path: object) -> None:
    target = f"{tmp_path}/schema.json"
    result = run_cli("schema", "--output", target)
    assert result.returncode == 0
    assert json.load(open(target, encoding="utf-8"))["title"].startswith("reports")  # noqa: SIM115


def test_committed_schema_is_current(schema: dict[str, object]) -> None:
    # data/*.yaml point editors at docs/factbase.schema.json; it must match the code.
    committed = json.loads((DATA.parent / "docs" / "factbase.schema.json").read_text("utf-8"))
    assert committed == schema


@pytest.mark.parametrize("path", [*sorted(DATA.glob("*.yaml")), CASES / "minimal.yaml"])
def test_fact_bases_point_editors_at_the_committed_schema(path: Path) -> None:
    """Their first line is the YAML language server's modeline, naming the schema file."""
    first = path.read_text("utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first.removeprefix(prefix)).resolve()
    assert target == (ROOT / "docs" / "factbase.schema.json").resolve()
