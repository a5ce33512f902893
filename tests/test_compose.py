"""docker-compose.yml, checked without a Docker engine (none runs where the tests run): valid
against the Compose Specification's JSON schema (tests/compose/, vendored), and consistent with the
portal: every variable it or .env.example sets is one the portal reads, every command runs
something that exists, and the release order (migrate first, alone) is kept."""

import importlib.util
import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
PORTAL = {name for name, service in SERVICES.items() if service.get("build") == "."}
READ = re.compile(r"""env_(?:str|bool|int|list)\(\s*["']([A-Z0-9_]+)["']""")
# Read from the environment by something other than the settings: Django itself, gunicorn's
# configuration (gunicorn.conf.py) and the metrics view (corett/metrics.py).
READ_ELSEWHERE = {"DJANGO_SETTINGS_MODULE", "PROMETHEUS_MULTIPROC_DIR"}


def variables_the_portal_reads() -> set[str]:
    settings = [ROOT / "corett" / "settings.py", *(ROOT / "corett" / "settings_parts").glob("*.py")]
    names = {name for path in settings for name in READ.findall(path.read_text())}
    for path in (ROOT / "gunicorn.conf.py", ROOT / "corett" / "metrics.py"):
        assert 'os.environ.get("PROMETHEUS_MULTIPROC_DIR")' in path.read_text()
    return names | READ_ELSEWHERE


def test_the_compose_file_follows_the_compose_specification():
    schema = json.loads((ROOT / "tests" / "compose" / "compose-spec.json").read_text())
    jsonschema.validate(COMPOSE, schema, cls=jsonschema.Draft7Validator)


def test_the_schema_check_would_catch_a_mistake():
    schema = json.loads((ROOT / "tests" / "compose" / "compose-spec.json").read_text())
    broken = {**COMPOSE, "services": {**SERVICES, "web": {**SERVICES["web"], "ports": "8000"}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft7Validator)
    misspelt = {**COMPOSE, "services": {**SERVICES, "web": {**SERVICES["web"], "comand": "x"}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(misspelt, schema, cls=jsonschema.Draft7Validator)


def test_every_variable_set_for_the_portal_is_one_it_reads():
    read = variables_the_portal_reads()
    for name in sorted(PORTAL):
        unknown = set(SERVICES[name].get("environment", {})) - read
        assert not unknown, f"{name} sets variables nothing reads: {unknown}"
    example = ROOT / ".env.example"
    assert all(SERVICES[name]["env_file"] == ".env" for name in PORTAL)
    in_example = {
        line.lstrip("# ").split("=")[0]
        for line in example.read_text().splitlines()
        if re.match(r"^#? ?[A-Z][A-Z0-9_]*=", line)
    }
    assert in_example - read == set(), ".env.example names variables nothing reads"


def commands_of(service: dict) -> list[list[str]]:
    """The service's command, split into the commands it runs (`sh -c "a && b"`: a and b)."""
    words = shlex.split(service["command"])
    if words[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in words[2].split("&&")]
    return [words]


def test_every_command_runs_something_that_exists():
    management = get_commands()
    seen = set()
    for name in sorted(PORTAL):
        for words in commands_of(SERVICES[name]):
            program = words[0]
            seen.add(program)
            if program == "python":
                assert words[1] == "manage.py" and words[2] in management, (name, words)
            elif program == "gunicorn":
                assert importlib.util.find_spec(words[1].split(":")[0]) is not None, words
            elif program == "celery":
                assert words[1:3] == ["-A", "corett"] and words[3] in {"worker", "beat"}, words
                assert importlib.util.find_spec("corett.celery") is not None
            else:
                raise AssertionError(f"{name} runs {program}, which this test does not know")
    assert seen == {"python", "gunicorn", "celery"}
    probe = SERVICES["web"]["healthcheck"]["test"][-1]
    path = re.search(r"http://127\.0\.0\.1:8000(/\S*?)'", probe).group(1)
    assert resolve(path).url_name == "healthz"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "corett.wsgi"' in dockerfile
    assert "postgresql-client" in dockerfile  # pg_dump for manage.py backup


def test_migrations_run_first_and_alone():
    assert commands_of(SERVICES["migrate"])[0][:3] == ["python", "manage.py", "migrate"]
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert all("migrate" not in words for words in commands_of(SERVICES[name]))
