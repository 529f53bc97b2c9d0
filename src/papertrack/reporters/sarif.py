"""SARIF 2.1.0 output with rule metadata, for code-scanning tools such as GitHub's."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from papertrack import __version__
from papertrack.engine import Analysis
from papertrack.findings import Finding, Location, Severity
from papertrack.reporters.escape import json_text, unicode_tree
from papertrack.reporters.github import base_dir, repo_path
from papertrack.rules.base import Rule
from papertrack.rules.registry import all_rules

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/papertrack/"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
BASE_ID = "SRCROOT"
_DOC_HEADINGS = re.compile(r"^(What it does|Why it matters|Example|Fix):", re.MULTILINE)


def rule_descriptor(r: Rule) -> dict[str, Any]:
    """A SARIF reportingDescriptor: the rule's code, name, summary, docs and default level."""
    markdown = _DOC_HEADINGS.sub(r"**\1:**", r.doc)
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.doc or r.summary},
        "help": {"text": r.doc or r.summary, "markdown": markdown or r.summary},
        "defaultConfiguration": {"level": LEVEL[r.severity]},
        "properties": {"tags": [r.family]},
    }


def _physical(r: Analysis, loc: Location | None) -> dict[str, Any]:
    doc = r.document
    path = repo_path(doc.folder, loc.file if loc else doc.main)
    # a URI holds bytes: a file name that is not UTF-8 keeps its own bytes, percent-encoded
    uri = quote(path.encode("utf-8", "surrogateescape"), safe="/")
    out: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": BASE_ID}}
    if loc:
        out["region"] = {"startLine": max(loc.line, 1), "startColumn": max(loc.col, 1)}
    return out


def _result(r: Analysis, f: Finding, index: dict[str, int]) -> dict[str, Any]:
    text = f.message + (f"\nFix: {f.fix}" if f.fix else "")
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": LEVEL[f.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": _physical(r, f.location)}],
    }
    if f.related:
        out["relatedLocations"] = [
            {
                "id": i,
                "physicalLocation": _physical(r, loc),
                "message": {"text": f"related to {f.code}"},
            }
            for i, loc in enumerate(f.related, start=1)
        ]
    return out


def sarif_dict(r: Analysis) -> dict[str, Any]:
    rules = list(all_rules().values())
    descriptors = [rule_descriptor(x) for x in rules]
    index = {x.code: i for i, x in enumerate(rules)}
    for f in r.findings:
        if f.code not in index:  # a finding from outside the registry still needs a descriptor
            index[f.code] = len(descriptors)
            descriptors.append({"id": f.code, "name": f.name, "shortDescription": {"text": f.name}})
    root = base_dir(r.document.folder)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "papertrack",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {BASE_ID: {"uri": root.as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(r, f, index) for f in r.findings],
            }
        ],
    }


def render(result: Analysis) -> str:
    # messages can quote a file name that is not UTF-8: valid_unicode keeps the JSON valid
    return json_text(json.dumps(unicode_tree(sarif_dict(result)), indent=2, ensure_ascii=False))
