"""The balancer's configuration `make cluster` renders (deploy/haproxy.cfg.j2): valid for HAProxy, only
the public paths routed, every instance health-checked, the client address set by the balancer."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tools.cluster import ClusterSettings, haproxy_binary, render_haproxy, write_haproxy
from tools.stack import StackSettings


def _config(tmp_path: Path) -> str:
    settings = ClusterSettings(port=8123, var_dir=tmp_path)
    instances = [
        StackSettings(rasa_port=5005, intake_port=5080),
        StackSettings(rasa_port=5105, intake_port=5180),
    ]
    return render_haproxy(settings, instances)


def test_only_channels_reach_rasa_and_every_instance_is_checked(tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert "bind 127.0.0.1:8123" in config
    assert "acl channel path_beg /webhooks/" in config and "use_backend rasa if channel" in config
    assert "default_backend intake" in config  # /model, /conversations … land on the intake service's 404
    for server in (
        "rasa1 127.0.0.1:5005 check",
        "rasa2 127.0.0.1:5105 check",
        "intake2 127.0.0.1:5180 check",
    ):
        assert server in config
    assert "http-request set-header X-Forwarded-For %[src]" in config  # a client's own claim is replaced
    assert config.count("source 127.0.0.2") == 2  # the address the instances trust
    assert "monitor-uri /health" in config


def test_haproxy_accepts_the_configuration(tmp_path: Path) -> None:
    haproxy = haproxy_binary()
    if haproxy is None:
        pytest.skip("haproxy not installed (`make setup-machine` as root installs it)")
    path = tmp_path / "haproxy.cfg"
    path.write_text(_config(tmp_path), encoding="utf-8")
    checked = subprocess.run([haproxy, "-c", "-f", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "WARNING" not in checked.stdout + checked.stderr


def test_production_configuration_needs_the_instances_ports(tmp_path: Path) -> None:
    target = tmp_path / "haproxy.cfg"
    write_haproxy(ClusterSettings(), target, "5005:5080, 5105:5180")
    assert "rasa2 127.0.0.1:5105" in target.read_text(encoding="utf-8")
    with pytest.raises(SystemExit, match="RASA_PORT:INTAKE_PORT"):
        write_haproxy(ClusterSettings(), target, "5005")
    with pytest.raises(SystemExit, match="no instance"):
        write_haproxy(ClusterSettings(), target, "")
