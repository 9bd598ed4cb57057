"""Oracle for snag's static read of pytest's registrations: the options and ini keys (aliases
included) pytest's own parser really holds after start-up, with the entry-point plugins unless
PYTEST_DISABLE_PLUGIN_AUTOLOAD is set. Prints JSON: {"options": [{"names", "arity"}], "ini": [...]}.
Run it in an empty directory, so that no conftest is loaded and no project code runs."""
import json

from _pytest.config import _prepareconfig

config = _prepareconfig([])
parser = config._parser.optparser
options = []
for action in parser._actions:
    if not action.option_strings:
        continue
    n = action.nargs
    arity = "none" if n == 0 else "one" if n is None else "optional" if n == "?" else "many"
    options.append({"names": sorted(action.option_strings), "arity": arity})
ini = set(config._parser._inidict) | set(getattr(config._parser, "_ini_aliases", {}))
print(json.dumps({"options": sorted(options, key=lambda o: o["names"]), "ini": sorted(ini)}))
