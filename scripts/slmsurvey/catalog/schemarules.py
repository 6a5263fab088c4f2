"""What the catalog's JSON Schemas may say, and where a rule's message lives.

Two engines read each schema (`validate`): fastjsonschema, compiled as draft-07 for speed, says
"valid" of almost every file, and jsonschema (2020-12) names every error of the rest. fastjsonschema
passes over a keyword it does not know (`unevaluatedProperties`, `dependentRequired`) without a word,
and as draft-07 it ignores every keyword beside a `$ref`: a schema using them would let the fast
check pass a file that jsonschema refuses. So a schema may use only FAST_KEYWORDS (the keywords the
fast check is known to read as 2020-12 means them, which the tests hold it to on every catalog file),
and `unchecked` names any other with its JSON pointer.

A pattern, format or oneOf rule carries the sentence a contributor reads when a value breaks it,
under MESSAGE, in the rule's own (sub)schema. `validate` prints it as `field: <message>; received
<value>`, and the field reference (`schemadoc`) shows the same text as the field's rule.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slmsurvey.problems import SurveyError

MESSAGE = "message"
# The keywords whose failure is told by the message of the (sub)schema that holds them.
TOLD = ("pattern", "format", "oneOf")

ANNOTATIONS = frozenset({"$comment", "title", "description", "examples", "default"})
FAST_KEYWORDS = frozenset({
    "$schema", "$id", "$defs", "$ref",
    "type", "enum", "const",
    "properties", "required", "additionalProperties", "propertyNames", "patternProperties",
    "minProperties", "maxProperties",
    "items", "minItems", "maxItems", "uniqueItems",
    "minLength", "maxLength", "pattern", "format",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "oneOf", "anyOf", "allOf", "not", "if", "then", "else",
}) | ANNOTATIONS | {MESSAGE}
# The formats both engines check alike: `validate` gives fastjsonschema its own checks of these.
FAST_FORMATS = frozenset({"date", "uri"})

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs")  # name -> schema
_SCHEMA_VALUES = ("items", "additionalProperties", "propertyNames", "not", "if", "then", "else")
_SCHEMA_LISTS = ("oneOf", "anyOf", "allOf")


class SchemaUnchecked(SurveyError):
    """A schema uses a keyword the fast check would not check; `found` holds (JSON pointer, why)."""

    def __init__(self, found: list[tuple[str, str]]):
        self.found = found
        super().__init__("; ".join(f"{pointer}: {why}" for pointer, why in found))


def subschemas(schema: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every (sub)schema of `schema`, the root first, with its JSON pointer ('' for the root)."""
    yield pointer, schema
    if not isinstance(schema, dict):
        return
    for keyword in _SCHEMA_MAPS:
        if isinstance(schema.get(keyword), dict):
            for name, child in schema[keyword].items():
                yield from subschemas(child, f"{pointer}/{keyword}/{_escape(name)}")
    for keyword in _SCHEMA_VALUES:
        if keyword in schema and not isinstance(schema[keyword], list):
            yield from subschemas(schema[keyword], f"{pointer}/{keyword}")
    for keyword in _SCHEMA_LISTS:
        if isinstance(schema.get(keyword), list):
            for index, child in enumerate(schema[keyword]):
                yield from subschemas(child, f"{pointer}/{keyword}/{index}")


def unchecked(schema: Any) -> list[tuple[str, str]]:
    """(JSON pointer, why) for each place of `schema` that the fast check would not check as
    JSON Schema 2020-12 means it; empty for a schema it checks in full."""
    found = []
    for pointer, node in subschemas(schema):
        if isinstance(node, bool):
            continue
        if not isinstance(node, dict):
            found.append((pointer, f"a schema is a mapping or true/false, not {type(node).__name__}"))
            continue
        for keyword in node:
            where = f"{pointer}/{_escape(keyword)}"
            if keyword not in FAST_KEYWORDS:
                found.append((where, f"the keyword {keyword!r} is not one the fast schema check (fastjsonschema, "
                                     "read as draft-07) is known to check: it would pass what it breaks. Use the "
                                     "keywords of slmsurvey.catalog.schemarules.FAST_KEYWORDS, or add it there with "
                                     "a test that both checkers agree on it"))
            elif "$ref" in node and keyword not in ANNOTATIONS | {"$ref"}:
                found.append((where, f"the keyword {keyword!r} beside a $ref is ignored by the fast schema check "
                                     "(draft-07): move it into the schema the $ref names, or wrap both in allOf"))
        if isinstance(node.get("items"), list):
            found.append((f"{pointer}/items", "'items' must be one schema (a list means something else in "
                                              "draft-07, which the fast schema check reads)"))
        if "format" in node and node["format"] not in FAST_FORMATS:
            found.append((f"{pointer}/format", f"the format {node['format']!r} is not checked alike by both "
                                               f"schema checkers; use one of: {', '.join(sorted(FAST_FORMATS))}"))
        if isinstance(node.get("$ref"), str) and not node["$ref"].startswith("#/"):
            found.append((f"{pointer}/$ref", f"{node['$ref']!r}: a $ref names a part of the same schema, "
                                             "'#/$defs/<name>'"))
    return found


def refuse_unchecked(schema: Any) -> None:
    """Raise SchemaUnchecked if the fast check cannot check all of `schema`."""
    found = unchecked(schema)
    if found:
        raise SchemaUnchecked(found)


def told_rules(schema: Any) -> Iterator[tuple[str, str, dict]]:
    """(JSON pointer, keyword, subschema) for each pattern, format or oneOf rule whose failure a
    contributor is told. A rule inside an alternative of a oneOf or anyOf is told by that oneOf's
    message, and one under `if` or `not` is never told (it only decides)."""
    untold: list[str] = []
    for pointer, node in subschemas(schema):
        if not isinstance(node, dict) or any(pointer == p or pointer.startswith(p + "/") for p in untold):
            continue
        for keyword in ("oneOf", "anyOf"):
            untold += [f"{pointer}/{keyword}/{index}" for index in range(len(node.get(keyword, ())))]
        untold += [f"{pointer}/{keyword}" for keyword in ("if", "not") if keyword in node]
        yield from ((pointer, keyword, node) for keyword in TOLD if keyword in node)


def _escape(name: str) -> str:
    """A name as one step of a JSON pointer (RFC 6901)."""
    return str(name).replace("~", "~0").replace("/", "~1")
