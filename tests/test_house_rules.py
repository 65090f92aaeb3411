"""The rules of the house (docs/architecture.md, "Start here"), checked on the code itself:
short modules, functions and templates; one permission rule; no view catching NotFound; no
string surgery on rendered HTML; and imports that point one way (`lint-imports`, run by
`make lint`, and shown here to fail on an upward import).

Each rule is a small function over a tree of files, tested first on a planted tree (so a
rule that can never fail is caught), then applied to the project."""

from __future__ import annotations

import ast
import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_qualified_name, get_remote_address

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
MAX_TEMPLATE_LINES = 300
# Pure data, not code: long by nature. Name each one; nothing else may grow past the limit.
DATA_MODULES = {
    "portal/demo/content.py",
    "portal/demo/articles.py",
    "portal/demo/request_texts.py",
}
# The names the one permission rule has had in the areas before portal/core/policy.py.
PERMISSION_COPIES = re.compile(r"^[ \t]*def (_?manages|_?can_manage|_?is_manager)\b", re.MULTILINE)
NOT_FOUND_CAUGHT = re.compile(r"except .*NotFound")
STRING_SURGERY = re.compile(r"TOKEN_MARK|_URL_MARK")

def _python_files(root: Path) -> list[Path]:
    return sorted((root / "portal").rglob("*.py"))


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def long_modules(root: Path) -> list[str]:
    found = []
    for path in _python_files(root):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES and _relative(path, root) not in DATA_MODULES:
            found.append(f"{_relative(path, root)}: {lines} lines")
    return found


def long_functions(root: Path) -> list[str]:
    found = []
    for path in _python_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    found.append(f"{_relative(path, root)}:{node.lineno} {node.name}: {lines}")
    return found


def long_templates(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "templates").rglob("*")):
        if path.is_file():
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_TEMPLATE_LINES:
                found.append(f"{_relative(path, root)}: {lines} lines")
    return found


def _delegates_to_manages(node: ast.FunctionDef) -> bool:
    """`return policy.manages(...)` and nothing else: a name for the one rule, not a copy."""
    body = [n for n in node.body if not isinstance(n, ast.Expr)]  # a docstring may stay
    if len(body) != 1 or not isinstance(body[0], ast.Return):
        return False
    call = body[0].value
    if not isinstance(call, ast.Call):
        return False
    callee = call.func
    return (isinstance(callee, ast.Attribute) and callee.attr == "manages") or (
        isinstance(callee, ast.Name) and callee.id == "manages"
    )


def permission_rules(root: Path) -> list[str]:
    """Every place "does this person manage that department" is written out in portal/ (a
    function that only returns `policy.manages(...)` names the rule; it does not copy it)."""
    found = []
    for path in _python_files(root):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text, filename=str(path))
        delegates = {
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and _delegates_to_manages(node)
        }
        for match in PERMISSION_COPIES.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            if line not in delegates:
                found.append(f"{_relative(path, root)}:{line} {match.group(1)}")
    return found


def _grep(paths: list[Path], pattern: re.Pattern, root: Path) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{_relative(path, root)}:{number} {line.strip()}")
    return found


def views_catching_not_found(root: Path) -> list[str]:
    return _grep(sorted((root / "portal").glob("*/views.py")), NOT_FOUND_CAUGHT, root)


def string_surgery(root: Path) -> list[str]:
    return _grep(_python_files(root), STRING_SURGERY, root)


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own tool, on our own files
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", "--config", str(root / ".importlinter")],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- each rule finds what it is for, in a planted tree ------------------------------------


def _plant(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_rules_find_what_they_are_for(tmp_path):
    long_body = "".join(f"    x{n} = {n}\n" for n in range(MAX_FUNCTION_LINES))
    root = _plant(
        tmp_path,
        {
            "portal/area/services.py": "def ok():\n    return 1\n\n\ndef big():\n" + long_body,
            "portal/area/huge.py": "x = 1\n" * (MAX_MODULE_LINES + 1),
            "portal/demo/content.py": "x = 1\n" * (MAX_MODULE_LINES + 1),
            "portal/area/views.py": (
                '"""Views."""\n\n\ndef manages(user, department):\n    return True\n\n\n'
                "def page():\n    try:\n        pass\n"
                "    except services.NotFound:\n        pass\n"
            ),
            "portal/core/policy.py": "def manages(user, department):\n    return False\n",
            "portal/other/services.py": (
                "def can_manage(user, department):\n    return policy.manages(user, department)\n"
            ),
            "portal/area/feed.py": 'TOKEN_MARK = "\\x00token"\n_URL_MARK = "/0/"\n',
            "templates/area/page.html": "<p>\n" * (MAX_TEMPLATE_LINES + 1),
            "templates/area/short.html": "<p>\n",
        },
    )
    assert long_modules(root) == [f"portal/area/huge.py: {MAX_MODULE_LINES + 1} lines"]
    assert long_functions(root) == [f"portal/area/services.py:5 big: {MAX_FUNCTION_LINES + 1}"]
    assert long_templates(root) == [f"templates/area/page.html: {MAX_TEMPLATE_LINES + 1} lines"]
    assert permission_rules(root) == [
        "portal/area/views.py:4 manages",
        "portal/core/policy.py:1 manages",
    ]
    assert views_catching_not_found(root) == ["portal/area/views.py:11 except services.NotFound:"]
    assert len(string_surgery(root)) == 2


# --- the project keeps them -------------------------------------------------------------


def test_no_product_module_is_over_600_lines():
    assert long_modules(ROOT) == []


def test_no_function_is_over_80_lines():
    assert long_functions(ROOT) == []


def test_no_template_is_over_300_lines():
    assert long_templates(ROOT) == []


def test_manages_is_written_once_in_the_core_policy():
    assert permission_rules(ROOT) == [
        f"portal/core/policy.py:{_line_of(ROOT / 'portal/core/policy.py', 'def manages')} manages"
    ]


def test_no_view_catches_not_found():
    assert views_catching_not_found(ROOT) == []


def test_no_string_surgery_on_rendered_html():
    assert string_surgery(ROOT) == []


# --- Flask calls plain functions only ---------------------------------------------------


def coroutine_callables(app) -> list[str]:
    """The views, hooks, error handlers and context processors of `app` that are `async
    def`: `portal.InwardApp.ensure_sync` hands every one back as it is, so one of these
    would return an unawaited coroutine instead of a response."""
    found = list(app.view_functions.values()) + list(app.teardown_appcontext_funcs)
    for table in (
        app.before_request_funcs,
        app.after_request_funcs,
        app.teardown_request_funcs,
        app.template_context_processors,
        app.url_value_preprocessors,
        app.url_default_functions,
    ):
        for funcs in table.values():
            found += funcs
    for by_code in app.error_handler_spec.values():
        for handlers in by_code.values():
            found += handlers.values()
    return sorted(f.__qualname__ for f in found if inspect.iscoroutinefunction(f))


def test_the_rule_finds_an_async_view_and_hook():
    planted = Flask("planted")

    @planted.get("/")
    async def page():
        return "page"

    @planted.before_request
    async def hook():
        return None

    assert coroutine_callables(planted) == [
        "test_the_rule_finds_an_async_view_and_hook.<locals>.hook",
        "test_the_rule_finds_an_async_view_and_hook.<locals>.page",
    ]


def test_flask_calls_only_plain_functions(app):
    assert type(app).ensure_sync is not Flask.ensure_sync  # the reason for the rule
    assert coroutine_callables(app) == []


# --- rate limits are on POSTs and the API only -------------------------------------------


def limited_routes(app, limiter) -> dict[str, set[str]]:
    """The routes outside the API with rate limits of their own, each with the methods its
    limits apply to."""
    found: dict[str, set[str]] = {}
    for endpoint, view in app.view_functions.items():
        limits = limiter.limit_manager._decorated_limits.get(get_qualified_name(view), ())
        if not limits or endpoint.startswith("api."):
            continue
        routed = set().union(*(rule.methods for rule in app.url_map.iter_rules(endpoint)))
        for limit in limits:
            methods = {m.upper() for m in limit.methods} if limit.methods else routed
            found.setdefault(endpoint, set()).update(methods)
    return found


def limited_reads(app, limiter) -> list[str]:
    """Those whose limits would apply to a GET or HEAD: the limiter skips every such
    request (portal.extensions._reading_a_page), so a limit there would never count."""
    routes = limited_routes(app, limiter)
    return sorted(endpoint for endpoint, methods in routes.items() if methods & {"GET", "HEAD"})


def test_the_rule_finds_a_limit_on_a_page_read_with_get():
    planted, limiter = Flask("planted"), Limiter(key_func=get_remote_address)

    @planted.get("/")
    @limiter.limit("1/second")
    def page():
        return "page"

    @planted.route("/form", methods=["GET", "POST"])
    @limiter.limit("1/second", methods=["POST"])
    def form():
        return "form"

    assert limited_reads(planted, limiter) == ["page"]


def test_only_posts_and_the_api_are_rate_limited(app):
    from portal.extensions import limiter

    assert limited_reads(app, limiter) == []
    assert sorted(limited_routes(app, limiter)) == ["accounts.login", "recognition.react"]


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(text):
            return number
    return 0


# --- imports point one way ---------------------------------------------------------------


def test_imports_point_one_way():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory) -> Path:
    """A copy of portal/ and the contracts, which lint-imports keeps as they are."""
    copy = tmp_path_factory.mktemp("lint") / "project"
    copy.mkdir()
    shutil.copytree(ROOT / "portal", copy / "portal", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", copy / ".importlinter")
    kept = lint_imports(copy)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    return copy


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        (  # a model reaching up into an area
            "portal/models/list_stamps.py",
            "from portal.recognition import services as _upward  # noqa",
            "Areas above core and the shared modules",
        ),
        (  # the core reaching up into an area
            "portal/core/clock.py",
            "import portal.manage.services as _upward  # noqa",
            "Areas above core and the shared modules",
        ),
        (  # a service reaching up to its own area's views
            "portal/directory/services.py",
            "from portal.directory import views as _upward  # noqa",
            "Within an area",
        ),
        (  # one area's views borrowing another's
            "portal/feedback/views.py",
            "from portal.directory import views as _sideways  # noqa",
            "No module imports another area's views",
        ),
        (  # the pure SLA core importing Flask
            "portal/sla.py",
            "import flask as _web  # noqa",
            "portal.sla is pure Python",
        ),
    ],
    ids=["model-to-area", "core-to-area", "service-to-view", "views-sideways", "sla-to-flask"],
)
def test_lint_imports_fails_on_an_upward_import(clean_copy, tmp_path, module, planted, contract):
    copy = tmp_path / "project"
    shutil.copytree(clean_copy, copy)
    with (copy / module).open("a", encoding="utf-8") as file:
        file.write(f"\n{planted}\n")
    broken = lint_imports(copy)
    assert broken.returncode != 0
    assert re.search(rf"{re.escape(contract)}[^\n]*BROKEN", broken.stdout), broken.stdout


# Playwright evaluates a bare expression given to wait_for_function with eval() each time it
# polls, which the portal's Content Security Policy (no 'unsafe-eval') refuses: the wait
# fails whenever the condition is not already true (CI saw it under load). A function is
# compiled once and polled without eval.
BARE_WAIT = re.compile(r'wait_for_function\(\s*"(?!\s*(\(|\w+\s*=>))')


def bare_waits(text: str) -> list[str]:
    return [m.group(0) for m in BARE_WAIT.finditer(text)]


def test_browser_tests_wait_for_functions_not_bare_expressions():
    assert bare_waits('page.wait_for_function("typeof htmx === \'object\'")')  # it would see one
    assert not bare_waits('page.wait_for_function("() => typeof htmx === \'object\'")')
    assert not bare_waits('page.wait_for_function("key => document.title === key", arg=k)')
    found = {
        path.name: bare_waits(path.read_text())
        for path in (ROOT / "tests" / "browser").glob("*.py")
    }
    assert not {name: waits for name, waits in found.items() if waits}


# A font size written in rem outside the type scale's own definitions (--text-*: ...).
LOOSE_FONT_SIZE = re.compile(r"^(?![ \t]*--text-).*font-size:\s*[0-9.]+rem", re.MULTILINE)


def loose_font_sizes(css: str) -> list[str]:
    return [m.group(0).strip() for m in LOOSE_FONT_SIZE.finditer(css)]


def test_font_sizes_come_from_the_type_scale():
    assert loose_font_sizes(".lead { font-size: 1.15rem; }")  # it would see one
    assert not loose_font_sizes(".lead { font-size: var(--text-md); }")
    assert not loose_font_sizes("  --text-xs: .8rem; --text-sm: .9rem;")
    assert not loose_font_sizes((ROOT / "static" / "css" / "inward.css").read_text())
