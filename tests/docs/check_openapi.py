#!/usr/bin/env python3
"""docs/openapi.yaml must be a well-formed OpenAPI 3.1 document, not only text the API test can
scan for paths: it parses as YAML, names version 3.1.x, and every operation of every path has a
summary and at least one response, and declares every {parameter} of its path."""
import re
import sys

import yaml

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def main(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        print(f"{path}: {e}")
        return 1
    problems = []
    if not str(doc.get("openapi", "")).startswith("3.1"):
        problems.append(f"openapi: expected 3.1.x, got {doc.get('openapi')!r}")
    paths = doc.get("paths") or {}
    if not paths:
        problems.append("paths: none")
    operations = 0
    for route, item in paths.items():
        wanted = set(re.findall(r"\{([^}]+)\}", route))
        shared = {p.get("name") for p in item.get("parameters", []) if isinstance(p, dict)}
        for method, op in item.items():
            if method not in METHODS:
                continue
            operations += 1
            where = f"{method.upper()} {route}"
            if not op.get("summary"):
                problems.append(f"{where}: no summary")
            if not op.get("responses"):
                problems.append(f"{where}: no responses")
            declared = set(shared)
            for p in op.get("parameters", []):
                if isinstance(p, dict) and "$ref" in p:
                    ref = p["$ref"].split("/")[-1]
                    p = doc.get("components", {}).get("parameters", {}).get(ref, {})
                if isinstance(p, dict) and p.get("in") == "path":
                    declared.add(p.get("name"))
            for name in sorted(wanted - declared):
                problems.append(f"{where}: path parameter {{{name}}} not declared")
    for p in problems:
        print(f"{path}: {p}")
    print(f"{path}: {operations} operations, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
