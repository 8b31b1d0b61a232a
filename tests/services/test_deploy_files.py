"""deploy/ (#17) is read, not run, on the build machines: its files must at least say what the
README says and name only settings and commands that exist."""

import re
from pathlib import Path

import yaml

from portal.cli import build_parser
from portal.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_compose_runs_two_replicas_one_jobs_node_and_nginx_with_the_repository_config():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "migrate", "portal1", "portal2", "jobs", "nginx"}
    assert services["portal1"] == services["portal2"]  # identical replicas
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in services["nginx"]["volumes"]
    jobs = "\n".join(services["jobs"]["command"])
    for command in ("notify --loop", "escalate", "close-unrated", "notify --daily"):
        assert f"python -m portal {command}" in jobs
        build_parser().parse_args(command.split())  # a real command of the CLI


def test_the_example_environment_names_only_real_settings():
    names = [line.split("=", 1)[0].lstrip("# ").strip()
             for line in (DEPLOY / "portal.env.example").read_text().splitlines()
             if re.match(r"#? ?[A-Z_]+=", line)]
    assert {"DATABASE_URL", "COOKIE_KEY", "READ_DATABASE_URL"} <= set(names)
    assert {name.lower() for name in names} <= set(Settings.model_fields)


def test_nginx_upgrades_websockets_and_pins_a_browser_to_one_replica():
    config = (DEPLOY / "nginx.conf").read_text()
    assert "proxy_set_header Upgrade $http_upgrade;" in config
    assert "hash $portal_node consistent;" in config
    assert re.search(r"server portal1:8501;\s*server portal2:8501;", config)
