"""Differential oracle: where CPython's import system finds each module, without importing any.

Reads JSON on stdin: {"path": [...sys.path entries...], "queries": [{"id", "module", "level",
"importer", "isPackage"}]} and prints {"id": result} where result is
  {"found": true, "kind": "builtin|frozen|preloaded|module|package|namespace", "file": str|None}
  {"found": false, "missing": "<name ModuleNotFoundError reports>", "reason": "..."}

It walks the finders by hand (sys.modules at startup, BuiltinImporter, FrozenImporter, PathFinder on
the given path or the parent's search locations) so no package __init__ is executed.
"""
import sys

# Taken before this script imports anything: these are what user code finds already loaded.
startup_modules = {name: getattr(mod, "__file__", None) for name, mod in list(sys.modules.items())}

import importlib.machinery as machinery  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402

request = json.load(sys.stdin)
search_path = request["path"]
sys.path[:] = search_path
sys.path_importer_cache.clear()


def locate(fullname, parent_locations):
    if fullname in startup_modules and fullname != "__main__":
        origin = startup_modules[fullname]
        return {"kind": "preloaded", "file": origin if isinstance(origin, str) else None, "locations": None}
    if parent_locations is None:
        if machinery.BuiltinImporter.find_spec(fullname) is not None:
            return {"kind": "builtin", "file": None, "locations": None}
    if machinery.FrozenImporter.find_spec(fullname) is not None:
        return {"kind": "frozen", "file": None, "locations": None}
    spec = machinery.PathFinder.find_spec(fullname, parent_locations)
    if spec is None:
        return None
    locations = list(spec.submodule_search_locations) if spec.submodule_search_locations is not None else None
    if spec.origin is None or spec.origin == "namespace" or spec.loader is None:
        return {"kind": "namespace", "file": None, "locations": locations}
    return {"kind": "package" if locations is not None else "module", "file": spec.origin, "locations": locations}


def find(name):
    parts = name.split(".")
    locations = None
    result = None
    for i in range(len(parts)):
        prefix = ".".join(parts[: i + 1])
        if i > 0 and result is not None and result["locations"] is None and result["kind"] != "preloaded" and result["kind"] != "frozen":
            return {"found": False, "missing": prefix, "reason": "not-a-package"}
        if i > 0 and result is not None and result["kind"] in ("preloaded", "frozen") and result["locations"] is None:
            # A preloaded/frozen package: take its real __path__ from the already imported module.
            mod = sys.modules.get(".".join(parts[:i]))
            locations = list(getattr(mod, "__path__", [])) or None
            if locations is None and prefix not in startup_modules and machinery.FrozenImporter.find_spec(prefix) is None:
                return {"found": False, "missing": prefix, "reason": "not-a-package"}
        result = locate(prefix, locations if i > 0 else None)
        if result is None:
            return {"found": False, "missing": prefix, "reason": "not-found"}
        locations = result["locations"]
    return {"found": True, "kind": result["kind"], "file": result["file"]}


answers = {}
for q in request["queries"]:
    module, level = q["module"], q["level"]
    if level:
        importer = q["importer"]
        package = importer if q["isPackage"] else importer.rpartition(".")[0]
        if not package:
            answers[q["id"]] = {"found": False, "missing": module, "reason": "relative-no-parent"}
            continue
        try:
            module = importlib.util.resolve_name("." * level + module, package)
        except ImportError:
            answers[q["id"]] = {"found": False, "missing": module, "reason": "relative-beyond-top"}
            continue
    answers[q["id"]] = find(module)
print(json.dumps(answers))
