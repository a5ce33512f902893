"""No application module grows past 400 lines (migrations aside): a module that size holds more
than one thing, and whoever looks for a rule should find it in a file whose name says so."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("corett", "strategy", "monitoring", "referrals")
LIMIT = 400


def application_modules() -> dict[str, int]:
    """Every module of the apps but their migrations, with its number of lines."""
    return {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT).parts
    }


def test_the_apps_modules_are_all_read():
    modules = application_modules()
    assert "corett/settings.py" in modules
    assert "strategy/models/__init__.py" in modules
    assert not any("/migrations/" in name for name in modules)


def test_no_module_is_over_the_limit():
    over = {name: lines for name, lines in application_modules().items() if lines > LIMIT}
    assert not over, f"over {LIMIT} lines, split each by what it holds: {over}"


def test_the_limit_counts_lines(tmp_path, monkeypatch):
    """A module one line over the limit is found (the check above can fail)."""
    app = tmp_path / "corett"
    (app / "migrations").mkdir(parents=True)
    (app / "big.py").write_text("x = 1\n" * (LIMIT + 1))
    (app / "small.py").write_text("x = 1\n" * LIMIT)
    (app / "migrations" / "0001_initial.py").write_text("x = 1\n" * (LIMIT + 1))
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    found = application_modules()
    assert found == {"corett/big.py": LIMIT + 1, "corett/small.py": LIMIT}
