"""pytest plugin for the differential oracle: writes every collection report to $SNAG_COLLECT_OUT."""
import json
import os
import re

_reports = []


def pytest_collectreport(report):
    entry = {"nodeid": report.nodeid, "outcome": report.outcome}
    if report.failed or report.skipped:
        text = str(report.longrepr)
        entry["longrepr"] = text[-4000:]
    _reports.append(entry)


def pytest_sessionfinish(session, exitstatus):
    with open(os.environ["SNAG_COLLECT_OUT"], "w") as fh:
        json.dump({"exitstatus": int(exitstatus), "reports": _reports}, fh)
