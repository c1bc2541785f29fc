"""Center profile loading and validation errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.tickets.centers import ProfileError
from bot.tickets.profiles import DEFAULT_PROFILE, current_profile, load_profile, load_profile_text

DEFAULT_TEXT = DEFAULT_PROFILE.read_text(encoding="utf-8")


def _line_of(text: str, needle: str, start: str | None = None) -> int:
    lines = text.splitlines()
    begin = next(i for i, line in enumerate(lines) if start in line) if start else 0
    return next(i for i in range(begin, len(lines)) if needle in lines[i]) + 1


def _errors(text: str) -> list[str]:
    with pytest.raises(ProfileError) as info:
        load_profile_text(text, "centers/x.yml")
    return info.value.errors


def test_default_profile_is_valid(profile):
    assert profile.region_code == "140105"
    assert profile.hours.startswith("周一至周五 9:00-12:00 13:30-17:30")
    assert profile.duty_officer["phone"]
    assert len(profile.rules) >= 5
    assert profile.text("closing", code="X", window_name="W", room="R").startswith("已为您登记，受理编号：X")


def test_unknown_window_in_rule_names_file_and_line():
    text = DEFAULT_TEXT.replace(
        "    add_window: legal_aid\n    reason: 农民工", "    add_window: legal_aidd\n    reason: 农民工"
    )
    line = _line_of(text, "add_window: legal_aidd")
    assert _errors(text) == [
        f"centers/x.yml:{line}: routing rule 'legal_aid_for_migrants' names unknown window 'legal_aidd'"
    ]


def test_several_errors_are_all_reported():
    text = (
        DEFAULT_TEXT.replace("  traffic: traffic_mediation\n", "  traffic: trafic_mediation\n")
        .replace("    specialties: [traffic]\n", "    specialties: [trafic]\n")
        .replace('region_code: "140105"', "region_code: 14105")
    )
    errors = _errors(text)
    assert (
        f"centers/x.yml:{_line_of(text, 'traffic: trafic_mediation')}: primary route for 'traffic' names "
        "unknown window 'trafic_mediation'" in errors
    )
    assert (
        f"centers/x.yml:{_line_of(text, 'specialties: [trafic]')}: mediator 'm_chen' has unknown specialty "
        "'trafic'" in errors
    )
    assert any(
        e.startswith(f"centers/x.yml:{_line_of(text, 'region_code: 14105')}: region_code must be 6 digits")
        for e in errors
    )


@pytest.mark.parametrize(
    "old, new, needle, message",
    [
        ("  land: land_mediation\n", "", "primary_routes:", "no primary route for category 'land'"),
        ("          gte: 2\n", "          gte: lots\n", "gte: lots", "'gte' needs a number"),
        (
            "  default: {sign: 1, contact: 3, report: 7, close: 10}",
            "  default: {sign: 1, contact: 3, report: soon, close: 10}",
            "report: soon",
            "not a duration: 'soon'",
        ),
        (
            "        - category: wage_arrears\n",
            "        - category: wages\n",
            "category: wages",
            "routing rule 'legal_aid_for_migrants' names unknown category 'wages'",
        ),
        (
            "    capacity: 6\n  - id: m_wang",
            "    capacity: many\n  - id: m_wang",
            "capacity: many",
            "mediator 'm_li': capacity must be a whole number",
        ),
    ],
)
def test_single_errors(old, new, needle, message):
    assert old in DEFAULT_TEXT
    text = DEFAULT_TEXT.replace(old, new, 1)
    errors = _errors(text)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"centers/x.yml:{_line_of(text, needle)}: ")
    assert message in errors[0]


def test_invalid_yaml_reports_line():
    text = DEFAULT_TEXT.replace("  name: 值班长\n", "  name: [值班长\n")
    (error,) = _errors(text)
    assert error.startswith("centers/x.yml:") and "invalid YAML" in error


def test_missing_file_is_a_profile_error(tmp_path):
    with pytest.raises(ProfileError, match="cannot read profile"):
        load_profile(tmp_path / "nope.yml")


def test_env_chooses_profile(tmp_path, monkeypatch):
    other = tmp_path / "other.yml"
    other.write_text(
        DEFAULT_TEXT.replace("name: 小店区社会治安综合治理中心", "name: 测试县综治中心"), encoding="utf-8"
    )
    monkeypatch.setenv("CENTER_PROFILE", str(other))
    assert current_profile().name == "测试县综治中心"
    monkeypatch.delenv("CENTER_PROFILE")
    assert current_profile().name == "小店区社会治安综合治理中心"


def test_cli_validate_profile(tmp_path, capsys):
    assert cli_main(["validate-profile", str(DEFAULT_PROFILE)]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "bad.yml"
    bad.write_text(DEFAULT_TEXT.replace("add_window: petition", "add_window: petitions"), encoding="utf-8")
    assert cli_main(["validate-profile", str(bad)]) == 1
    err = capsys.readouterr().err
    line = _line_of(bad.read_text(encoding="utf-8"), "add_window: petitions")
    assert f"bad.yml:{line}: routing rule 'petition_when_repeated' names unknown window 'petitions'" in err
    assert Path(err.split(":")[0]).name == "bad.yml"
