"""The schemas' own rules (slmsurvey.catalog.schemarules): every rule a contributor can break says so in
words, in the schema; the words reach `slmsurvey validate` and the field reference alike; and a
schema with a keyword the fast check would not check is refused, naming the keyword and where it is."""
from __future__ import annotations

import json
import pathlib

import pytest

from helpers import FIXTURE_ENTRIES, ROOT, Project, invoke
from slmsurvey.catalog import schemarules
from slmsurvey.catalog import validate as validation
from slmsurvey.catalog.load import parse_yaml
from slmsurvey.maintain import schemadoc

SCHEMAS = sorted((ROOT / "catalog" / "schema").glob("*.schema.json"))
ENTRY = "catalog/entries/qa-2024-medbench.yaml"


def _schema(name: str = "entry.schema.json") -> dict:
    return json.loads((ROOT / "catalog" / "schema" / name).read_text(encoding="utf-8"))


def _edit_schema(project: Project, edit, name: str = "entry.schema.json") -> None:
    path = project.catalog / "schema" / name
    schema = json.loads(path.read_text(encoding="utf-8"))
    edit(schema)
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def _edit_entry(project: Project, old: str, new: str) -> None:
    path = project.root / ENTRY
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_rule_a_contributor_can_break_has_a_message(path: pathlib.Path):
    rules = list(schemarules.told_rules(json.loads(path.read_text(encoding="utf-8"))))
    without = [f"{pointer} ({keyword})" for pointer, keyword, node in rules
               if not str(node.get(schemarules.MESSAGE, "")).strip()]
    assert not without, f"{path.name}: these rules need a {schemarules.MESSAGE!r}: {', '.join(without)}"


def test_the_rules_are_found_where_they_are():
    """The walk reaches $defs, items, propertyNames and additionalProperties, and leaves out the forms
    of a oneOf (its own message tells them)."""
    entry = {(pointer, keyword) for pointer, keyword, _ in schemarules.told_rules(_schema())}
    assert ("/properties/doi", "pattern") in entry
    assert ("/properties/added", "format") in entry
    assert ("/properties/sections/items", "pattern") in entry
    assert ("/$defs/person", "oneOf") in entry
    assert not any(pointer.startswith("/$defs/person/oneOf") for pointer, _ in entry)
    taxonomy = {pointer for pointer, _, _ in schemarules.told_rules(_schema("taxonomy.schema.json"))}
    assert {"/properties/facets/propertyNames", "/$defs/facet/properties/values/propertyNames"} <= taxonomy


def test_the_catalog_schemas_use_only_keywords_the_fast_check_checks():
    assert {path.name: schemarules.unchecked(json.loads(path.read_text(encoding="utf-8")))
            for path in SCHEMAS} == {path.name: [] for path in SCHEMAS}


def test_a_message_changed_in_the_schema_is_what_validate_says(project: Project):
    """A contributor who rewords a rule's message in the schema sees the new words from `validate`,
    and the field reference says the same."""
    told = "a DOI starts with 10. and has no https:// in front"

    def reword(schema: dict) -> None:
        schema["properties"]["doi"]["message"] = told

    _edit_schema(project, reword)
    _edit_entry(project, 'pages: "12-20"', 'pages: "12-20"\ndoi: https://doi.org/10.1000/x')
    result = invoke(project, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"doi: {told}; received 'https://doi.org/10." in result.stderr
    reference = schemadoc.schema_reference_markdown(project.catalog / "schema" / "entry.schema.json")
    assert f"| `doi` |  | text, at most 200 characters, {told} |" in reference


def test_a_rule_without_a_message_has_a_generic_one(project: Project):
    def forget(schema: dict) -> None:
        del schema["properties"]["doi"]["message"]
        del schema["properties"]["added"]["message"]

    _edit_schema(project, forget)
    _edit_entry(project, 'pages: "12-20"', 'pages: "12-20"\ndoi: doi:10.1000/x')
    _edit_entry(project, "added: 2026-11-21", 'added: "2024-02-30"')
    result = invoke(project, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "doi: must match ^10\\.[0-9]{4,9}/[-._;()/:A-Za-z0-9<>\\[\\]+]+$; received 'doi:10." in result.stderr
    assert "added: is not a valid date; received '2024-02-30'" in result.stderr


def test_every_missing_field_is_named_once(project: Project):
    """The missing names come from the schema's `required` and the mapping, not from jsonschema's English."""
    path = project.root / ENTRY
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(("summary:", "added:"))]
    path.write_text("".join(kept), encoding="utf-8")
    result = invoke(project, "validate")
    problems = [line.split(": ", 1)[1] for line in result.stderr.splitlines()[:-1]]
    assert problems == ["added: this required field is missing", "summary: this required field is missing"]


@pytest.mark.parametrize("edit, pointer, words", [
    (lambda s: s["properties"]["venue"].update(unevaluatedProperties=False),
     "/properties/venue/unevaluatedProperties", "the keyword 'unevaluatedProperties' is not one the fast schema "
                                                "check (fastjsonschema, read as draft-07) is known to check"),
    (lambda s: s.update(dependentRequired={"volume": ["issue"]}),
     "/dependentRequired", "the keyword 'dependentRequired' is not one"),
    (lambda s: s["$defs"]["artifact"]["properties"]["url"].update(maxLength=80),
     "/$defs/artifact/properties/url/maxLength", "the keyword 'maxLength' beside a $ref is ignored"),
    (lambda s: s["properties"]["added"].update(format="email"),
     "/properties/added/format", "the format 'email' is not checked alike by both schema checkers"),
    (lambda s: s["properties"]["sections"].update(items=[{"type": "string"}]),
     "/properties/sections/items", "'items' must be one schema"),
    (lambda s: s["properties"]["links"]["properties"].update({"a/b~c": {"$ref": "other.json#/x"}}),
     "/properties/links/properties/a~1b~0c/$ref", "'other.json#/x': a $ref names a part of the same schema"),
])
def test_a_schema_the_fast_check_cannot_check_is_refused(project: Project, edit, pointer: str, words: str):
    schema = _schema()
    edit(schema)
    found = schemarules.unchecked(schema)
    assert [where for where, _ in found] == [pointer]
    assert words in found[0][1]
    with pytest.raises(schemarules.SchemaUnchecked, match=pointer.replace("$", r"\$")):
        validation._fast_check(json.dumps(schema))

    _edit_schema(project, edit)
    result = invoke(project, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"catalog/schema/entry.schema.json: {pointer}: {words}" in result.stderr


def test_the_message_keyword_is_read_by_neither_checker_as_a_rule():
    """`message` beside a rule changes no verdict: both checkers pass and refuse the same values."""
    import fastjsonschema

    with_messages = _schema()
    without = json.loads(json.dumps(with_messages))
    for _, node in schemarules.subschemas(without):
        if isinstance(node, dict):
            node.pop(schemarules.MESSAGE, None)
    entry = parse_yaml((FIXTURE_ENTRIES / "qa-2024-medbench.yaml").read_bytes(), "qa.yaml").data
    bent = ({"doi": "doi:10.1/x"}, {"added": "2024-02-30"}, {"authors": ["A B"]})
    for data in (entry, *({**entry, **change} for change in bent)):
        verdicts = []
        for schema in (with_messages, without):
            text = json.dumps(schema)
            try:
                validation._fast_check(text)(data)
                fast = True
            except fastjsonschema.JsonSchemaException:
                fast = False
            verdicts.append((fast, [e.message for e in validation._validator(text).iter_errors(data)]))
        assert verdicts[0] == verdicts[1]


def test_unexpected_and_missing_names_are_computed_from_the_schema():
    """Not read out of jsonschema's English: a name patternProperties allows is not unexpected, and
    each missing name is said once, in the schema's order."""
    from slmsurvey.catalog.load import Document

    schema = {"type": "object", "additionalProperties": False, "required": ["b", "a", "c"],
              "properties": {"a": {}, "b": {}, "c": {}}, "patternProperties": {"^x-": {}}}
    document = Document("f.yaml", {"a": 1, "x-note": 2, "zz": 3, "y-note": 4}, {})
    assert [(p.field, p.message) for p in validation._schema_problems(document, json.dumps(schema))] == [
        ("y-note", "unknown field 'y-note'; expected one of: a, b, c"),
        ("zz", "unknown field 'zz'; expected one of: a, b, c"),
        ("b", "this required field is missing"),
        ("c", "this required field is missing"),
    ]
