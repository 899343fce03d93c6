"""deploy/: the compose file, the Dockerfile and the reverse proxy's configuration. No container
runtime runs here, so what can be checked is checked against the real thing: the YAML and the
compose structure, every MENTOR_* variable against the settings (values included), every
`mentor …` command against the CLI's own parser, `chroma run`'s flags against the installed
chromadb, and that services, ports, volumes and nginx upstreams agree. How nginx really routes
is in test_proxy.py."""

import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import yaml

from mentor.assistant.agent import choose_llm
from mentor.cli.main import build_parser
from mentor.config import Settings, load_settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
ROOT = DEPLOY.parent
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?::-(?P<default>[^}]*))?\}")


def interpolated(value):
    """The file as compose reads it with no .env and an empty shell: every ${VAR:-default}."""
    if isinstance(value, dict):
        return {k: interpolated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolated(v) for v in value]
    if isinstance(value, str):
        return INTERPOLATION.sub(lambda m: m["default"], value)
    return value


@pytest.fixture(scope="module")
def compose() -> dict:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    for m in INTERPOLATION.finditer(text):
        assert m["default"] is not None, f"${{{m['name']}}} has no default: `up` would need a .env"
    return interpolated(yaml.safe_load(text))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def env(service: dict) -> dict[str, str]:
    return {k: str(v) for k, v in (service.get("environment") or {}).items()}


def mentor_services(services) -> dict:
    return {name: s for name, s in services.items() if s.get("command", [None])[0] == "mentor"}


def health_url(service: dict) -> urllib.parse.SplitResult:
    (url,) = re.findall(r"http://[^'\"\s]+", " ".join(service["healthcheck"]["test"]))
    return urllib.parse.urlsplit(url)


def nginx_upstreams() -> dict[str, list[tuple[str, int]]]:
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    blocks = re.findall(r"upstream\s+(\w+)\s*\{(.*?)\}", text, re.S)
    server = re.compile(r"^\s*server\s+([\w.-]+):(\d+)", re.M)
    return {name: [(h, int(p)) for h, p in server.findall(body)] for name, body in blocks}


# --- structure ------------------------------------------------------------------------------


def test_every_service_runs_something_and_depends_on_real_services(compose, services):
    assert set(services) >= {"proxy", "api", "page", "chroma", "postgres", "ollama", "ingest"}
    for name, service in services.items():
        assert service.get("image") or service.get("build"), name
        for dep, how in (service.get("depends_on") or {}).items():
            assert dep in services and dep != name, f"{name} depends on unknown {dep}"
            assert how["condition"] in CONDITIONS, name
            if how["condition"] == "service_healthy":
                assert services[dep].get("healthcheck", {}).get("test"), f"{dep} has no healthcheck"
            if how["condition"] == "service_completed_successfully":
                assert services[dep].get("restart") == "no", f"{dep} is a one-shot service"
        if "healthcheck" in service:
            assert service["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL"), name


def test_named_volumes_are_declared_and_used(compose, services):
    used = set()
    for name, service in services.items():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in compose["volumes"], f"{name} mounts undeclared volume {source}"
                used.add(source)
            else:
                assert (DEPLOY / source).exists(), f"{name} mounts missing file {source}"
    assert used == set(compose["volumes"])


def test_the_image_is_built_from_the_repository(services):
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M)
    assert re.search(r"pip install .*-r requirements\.lock", dockerfile)
    assert re.search(r"pip install --no-deps (-e )?\.", dockerfile)
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    kept = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    for source in re.findall(r"^COPY (.+) \S+$", dockerfile, re.M):
        for path in source.split():
            assert (ROOT / path).exists(), path
            assert path.rstrip("/") in kept, f"{path} is copied but left out of the build context"
    for name, service in services.items():
        if "build" in service:
            assert (DEPLOY / service["build"]["context"]).resolve() == ROOT, name
            assert (ROOT / service["build"]["dockerfile"]).resolve() == DEPLOY / "Dockerfile", name


# --- what the app reads ---------------------------------------------------------------------


def test_every_mentor_variable_is_a_setting_and_its_value_is_valid(services, monkeypatch, tmp_path):
    fields = {f"MENTOR_{name.upper()}" for name in Settings.model_fields}
    for name, service in services.items():
        variables = {k: v for k, v in env(service).items() if k.startswith("MENTOR_")}
        assert set(variables) <= fields, f"{name}: {set(variables) - fields} are not settings"
        if not variables:
            continue
        for key in [k for k in os.environ if k.startswith("MENTOR_")]:
            monkeypatch.delenv(key)
        for key, value in variables.items():  # container paths do not exist here; they need not
            monkeypatch.setenv(key, value)
        settings = load_settings()
        choice = choose_llm(settings)  # builds the client only: nothing is contacted
        assert choice.spec == variables["MENTOR_LLM"] and choice.tools == "auto", name


def test_every_mentor_command_parses_with_the_real_cli(services):
    commands = {name: s["command"] for name, s in mentor_services(services).items()}
    assert set(commands) == {"ingest", "api", "page"}
    parsed = {}
    for name, command in commands.items():
        try:
            parsed[name] = build_parser().parse_args(command[1:])
        except SystemExit:
            pytest.fail(f"{name}: `{' '.join(command)}` does not parse")
    assert parsed["ingest"].command == "ingest"
    assert parsed["api"].command == "serve" and parsed["api"].workers > 1  # the API only, in N processes
    assert parsed["page"].command == "serve" and parsed["page"].workers == 1 and not parsed["page"].api_only


def test_the_chroma_server_command_is_real_and_matches_the_url(services):
    chroma = services["chroma"]["command"]
    assert chroma[:2] == ["chroma", "run"]
    flags = dict(zip(chroma[2::2], chroma[3::2]))
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if Path(exe).exists():
        usage = subprocess.run([exe, "run", "--help"], capture_output=True, text=True, timeout=60).stdout
        assert all(flag in usage for flag in flags), usage
    for name, service in mentor_services(services).items():
        url = urllib.parse.urlsplit(env(service)["MENTOR_CHROMA_URL"])
        assert (url.hostname, url.port) == ("chroma", int(flags["--port"])), name
    assert health_url(services["chroma"]).port == int(flags["--port"])
    assert flags["--host"] == "0.0.0.0"
    assert any(m.endswith(":" + flags["--path"]) for m in services["chroma"]["volumes"])


def test_the_database_url_matches_the_postgres_service(services):
    pg = env(services["postgres"])
    for name, service in mentor_services(services).items():
        url = urllib.parse.urlsplit(env(service)["MENTOR_DB"])
        assert url.scheme == "postgresql+psycopg", name
        assert (url.hostname, url.port or 5432) == ("postgres", 5432), name
        assert (url.username, url.password) == (pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"]), name
        assert url.path.lstrip("/") == pg["POSTGRES_DB"], name


def test_the_llm_url_matches_the_ollama_service(services):
    ollama = env(services["ollama"])
    port = int(urllib.parse.urlsplit("http://" + ollama.get("OLLAMA_HOST", "0.0.0.0:11434").split("//")[-1]).port)
    pulled = services["ollama-pull"]["command"]
    assert pulled[0] == "pull"
    assert urllib.parse.urlsplit(env(services["ollama-pull"])["OLLAMA_HOST"])[1] == f"ollama:{port}"
    for name, service in mentor_services(services).items():
        variables = env(service)
        base, _, model = variables["MENTOR_LLM"].removeprefix("openai-like:").partition("#")
        url = urllib.parse.urlsplit(base)
        assert (url.hostname, url.port, url.path) == ("ollama", port, "/v1"), name
        assert model == pulled[1], f"{name} asks for a model the pull service does not fetch"
        assert variables["MENTOR_LLM_CONTEXT"] == ollama["OLLAMA_CONTEXT_LENGTH"], name


def test_the_index_is_one_shared_volume_written_by_ingest(services):
    volumes = {}
    for name, service in mentor_services(services).items():
        where = env(service)["MENTOR_INDEX_DIR"]
        (mount,) = [m for m in service["volumes"] if m.split(":")[1] == where]
        volumes[name] = mount.split(":")[0]
    assert len(set(volumes.values())) == 1, volumes
    for name in ("api", "page"):
        assert services[name]["depends_on"]["ingest"]["condition"] == "service_completed_successfully"


# --- the proxy ------------------------------------------------------------------------------


def test_nginx_upstreams_are_the_services_on_their_ports(services):
    upstreams = nginx_upstreams()
    assert set(upstreams) == {"mentor_api", "mentor_page"}
    for upstream, service in (("mentor_api", "api"), ("mentor_page", "page")):
        port = int(env(services[service])["MENTOR_PORT"])
        assert upstreams[upstream] == [(service, port)]
        assert health_url(services[service]).port == port
        assert env(services[service])["MENTOR_HOST"] == "0.0.0.0"  # reachable from the proxy
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert set(re.findall(r"proxy_pass http://(\w+);", text)) == set(upstreams)
    page_block = re.search(r"upstream mentor_page\s*\{(.*?)\}", text, re.S)[1]
    assert re.search(r"^\s*hash \$\w+ consistent;", page_block, re.M)  # sticky
    assert "hash" not in re.search(r"upstream mentor_api\s*\{(.*?)\}", text, re.S)[1]  # round-robin
    (listen,) = re.findall(r"^\s*listen (\d+);", text, re.M)
    assert any(p.split(":")[-1] == listen for p in services["proxy"]["ports"])
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in services["proxy"]["volumes"]
    assert set(services["proxy"]["depends_on"]) == {"api", "page"}
