/**
 * Which distribution provides a pytest option, ini key or marker that nothing installed
 * registers: the names people copy from a plugin's docs into their config. Only for naming the
 * package to install; what is registered always comes from the installed sources themselves.
 */

interface KnownPlugin {
  distribution: string;
  options: string[];
  ini: string[];
  markers: string[];
}

const PLUGINS: KnownPlugin[] = [
  { distribution: "pytest-timeout", options: ["--timeout", "--timeout-method", "--timeout_method", "--timeout-disable-debugger-detection", "--session-timeout"], ini: ["timeout", "timeout_method", "timeout_func_only", "timeout_disable_debugger_detection", "session_timeout"], markers: ["timeout"] },
  { distribution: "pytest-xdist", options: ["-n", "--numprocesses", "--maxprocesses", "--max-worker-restart", "--dist", "--tx", "-d", "--rsyncdir", "--rsyncignore", "--px", "-f", "--looponfail", "--loadscope-reorder", "--no-loadscope-reorder", "--maxschedchunk"], ini: ["rsyncdirs", "rsyncignore", "looponfailroots"], markers: ["xdist_group"] },
  { distribution: "pytest-asyncio", options: ["--asyncio-mode", "--asyncio-debug"], ini: ["asyncio_mode", "asyncio_default_fixture_loop_scope", "asyncio_default_test_loop_scope", "asyncio_debug"], markers: ["asyncio"] },
  { distribution: "pytest-cov", options: ["--cov", "--cov-report", "--cov-config", "--no-cov-on-fail", "--no-cov", "--cov-fail-under", "--cov-append", "--cov-branch", "--cov-precision", "--cov-context"], ini: [], markers: ["no_cover"] },
  { distribution: "pytest-doctestplus", options: ["--doctest-plus", "--doctest-rst", "--doctest-plus-generate-diff", "--text-file-format", "--doctest-only"], ini: ["doctest_plus", "doctest_norecursedirs", "doctest_rst", "text_file_format", "doctest_subpackage_requires", "doctest_plus_atol", "doctest_plus_rtol"], markers: [] },
  { distribution: "pytest-django", options: ["--ds", "--dc", "--reuse-db", "--create-db", "--nomigrations", "--no-migrations", "--migrations", "--fail-on-template-vars", "--no-fail-on-template-vars", "--liveserver"], ini: ["DJANGO_SETTINGS_MODULE", "DJANGO_CONFIGURATION", "django_find_project", "django_debug_mode", "FAIL_INVALID_TEMPLATE_VARS"], markers: ["django_db", "urls", "ignore_template_errors"] },
  { distribution: "pytest-rerunfailures", options: ["--reruns", "--reruns-delay", "--only-rerun", "--rerun-except"], ini: ["reruns", "reruns_delay"], markers: ["flaky"] },
  { distribution: "pytest-randomly", options: ["--randomly-seed", "--randomly-dont-reset-seed", "--randomly-dont-reorganize"], ini: [], markers: [] },
  { distribution: "pytest-benchmark", options: ["--benchmark-only", "--benchmark-skip", "--benchmark-disable", "--benchmark-enable", "--benchmark-autosave", "--benchmark-save", "--benchmark-compare", "--benchmark-min-rounds", "--benchmark-json", "--benchmark-columns", "--benchmark-sort", "--benchmark-group-by", "--benchmark-warmup"], ini: [], markers: ["benchmark"] },
  { distribution: "pytest-html", options: ["--html", "--self-contained-html", "--css"], ini: ["render_collapsed", "max_asset_filename_length", "generate_report_on_test"], markers: [] },
  { distribution: "pytest-mock", options: [], ini: ["mock_traceback_monkeypatch", "mock_use_standalone_module"], markers: [] },
  { distribution: "pytest-env", options: [], ini: ["env"], markers: [] },
  { distribution: "pytest-order", options: ["--order-scope", "--order-group-scope", "--order-dependencies", "--sparse-ordering", "--indulgent-ordering"], ini: [], markers: ["order"] },
  { distribution: "pytest-dependency", options: [], ini: ["automark_dependency"], markers: ["dependency"] },
  { distribution: "pytest-repeat", options: ["--count", "--repeat-scope"], ini: [], markers: ["repeat"] },
  { distribution: "pytest-forked", options: ["--forked"], ini: [], markers: ["forked"] },
  { distribution: "pytest-mpl", options: ["--mpl", "--mpl-baseline-path", "--mpl-generate-path", "--mpl-results-path"], ini: ["mpl-baseline-path", "mpl-results-path", "mpl-use-full-test-name"], markers: ["mpl_image_compare"] },
  { distribution: "pytest-instafail", options: ["--instafail"], ini: [], markers: [] },
  { distribution: "pytest-json-report", options: ["--json-report", "--json-report-file", "--json-report-summary", "--json-report-omit"], ini: [], markers: [] },
  { distribution: "pytest-testmon", options: ["--testmon", "--testmon-noselect", "--testmon-nocollect", "--testmon-forceselect"], ini: [], markers: [] },
  { distribution: "pytest-freezer", options: [], ini: [], markers: ["freeze_time"] },
  { distribution: "pytest-recording", options: ["--record-mode", "--block-network", "--disable-recording"], ini: [], markers: ["vcr", "block_network", "default_cassette"] },
  { distribution: "pytest-httpx", options: [], ini: [], markers: ["httpx_mock"] },
  { distribution: "pytest-trio", options: [], ini: ["trio_mode", "trio_run"], markers: ["trio"] },
  { distribution: "anyio", options: [], ini: [], markers: ["anyio"] },
  { distribution: "hypothesis", options: ["--hypothesis-profile", "--hypothesis-show-statistics", "--hypothesis-seed", "--hypothesis-verbosity", "--hypothesis-explain"], ini: [], markers: ["hypothesis"] },
  { distribution: "pytest-mypy", options: ["--mypy", "--mypy-config-file", "--mypy-ignore-missing-imports"], ini: [], markers: [] },
  { distribution: "pytest-flake8", options: ["--flake8"], ini: ["flake8-ignore", "flake8-max-line-length", "flake8-max-complexity"], markers: [] },
  { distribution: "pytest-memray", options: ["--memray", "--memray-bin-path", "--most-allocations"], ini: [], markers: ["limit_memory", "limit_leaks"] },
  { distribution: "pytest-socket", options: ["--disable-socket", "--allow-hosts", "--allow-unix-socket"], ini: [], markers: ["disable_socket", "enable_socket", "allow_hosts"] },
  { distribution: "syrupy", options: ["--snapshot-update", "--snapshot-warn-unused", "--snapshot-details"], ini: [], markers: [] },
  { distribution: "pytest-sugar", options: ["--old-summary", "--force-sugar"], ini: [], markers: [] },
  { distribution: "pytest-profiling", options: ["--profile", "--profile-svg"], ini: [], markers: [] },
  { distribution: "pytest-dotenv", options: ["--envfile"], ini: ["env_files", "env_override_existing_values"], markers: [] },
];

function index(pick: (p: KnownPlugin) => string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of PLUGINS) for (const n of pick(p)) if (!m.has(n)) m.set(n, p.distribution);
  return m;
}

const BY_OPTION = index((p) => p.options);
const BY_INI = index((p) => p.ini);
const BY_MARKER = index((p) => p.markers);

/** The distribution whose option this is (`--timeout=5` → pytest-timeout). */
export function distributionForOption(token: string): string | undefined {
  const name = token.startsWith("--") ? token.split("=")[0]! : token.slice(0, 2);
  return BY_OPTION.get(name);
}

export function distributionForIni(key: string): string | undefined {
  return BY_INI.get(key);
}

export function distributionForMarker(marker: string): string | undefined {
  return BY_MARKER.get(marker);
}
