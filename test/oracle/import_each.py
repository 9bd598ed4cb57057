"""Differential oracle: import each module in its own fresh interpreter and report what happened.

stdin: {"path": [...full sys.path...], "root": "/abs/fixture", "modules": ["a.b", ...]}
stdout: {"a.b": {"ok": true} | {"ok": false, "exception": "ModuleNotFoundError", "message": "...",
         "file": "rel/path.py", "line": 14}}, where file:line is the innermost frame inside root
(for SyntaxError: where the syntax error is).
"""
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

CHILD = r"""
import sys
request_path, root, name = sys.argv[1], sys.argv[2], sys.argv[3]
import importlib
with open(request_path) as fh:
    sys.path[:] = [line for line in fh.read().split("\n") if line]
try:
    importlib.import_module(name)
    result = {"ok": True}
except BaseException as exc:
    import traceback, os
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename).startswith(root + os.sep)]
    result = {"ok": False, "exception": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, ModuleNotFoundError):
        result["name"] = exc.name
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename).startswith(root + os.sep):
        result["file"], result["line"] = os.path.relpath(exc.filename, root), exc.lineno
    elif frames:
        result["file"], result["line"] = os.path.relpath(frames[-1].filename, root), frames[-1].lineno
import json
print(json.dumps(result))
"""


def main():
    request = json.load(sys.stdin)
    import os
    import tempfile

    fd, path_file = tempfile.mkstemp(suffix=".txt")
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(request["path"]))

    def run(name):
        proc = subprocess.run(
            [sys.executable, "-P", "-c", CHILD, path_file, request["root"], name],
            capture_output=True,
            text=True,
            cwd=tempfile.gettempdir(),
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            timeout=120,
        )
        try:
            return name, json.loads(proc.stdout.strip().splitlines()[-1])
        except Exception:
            return name, {"ok": False, "exception": "OracleError", "message": proc.stderr[-500:]}

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(pool.map(run, request["modules"]))
    os.unlink(path_file)
    print(json.dumps(results))


main()
