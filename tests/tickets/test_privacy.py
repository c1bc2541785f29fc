"""Masking, log scrubbing and the generated data key."""

from __future__ import annotations

import io
import logging
import stat

import pytest

from bot import privacy


@pytest.mark.parametrize(
    "raw, masked",
    [
        ("13912345678", "139****5678"),
        ("139 1234 5678", "139****5678"),
        ("+86 139-1234-5678", "139****5678"),
        ("12345678", "****5678"),
        ("", ""),
        (None, ""),
        ("123", "****"),
    ],
)
def test_mask_phone(raw, masked):
    assert privacy.mask_phone(raw) == masked


def test_mask_id_number():
    assert privacy.mask_id_number("14010519900101123X") == "140105********123X"


def test_mask_text_hides_phones_and_ids():
    text = "张三电话13912345678，身份证号140105199001011234，座机0351-7654321，欠款36000元"
    masked = privacy.mask_text(text)
    assert "13912345678" not in masked and "140105199001011234" not in masked and "7654321" not in masked
    assert "139****5678" in masked and "140105********1234" in masked and "36000元" in masked


def test_log_filter_masks_every_record():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(privacy.PiiLogFilter())
    logger = logging.getLogger("test.pii")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("caller %s id %s", "13912345678", "140105199001011234")
        logger.warning("plain 13800001111")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "13912345678" not in out and "140105199001011234" not in out and "13800001111" not in out
    assert "139****5678" in out and "138****1111" in out


def test_installed_filter_covers_records_of_any_logger(caplog):
    privacy.install_log_filter()
    with caplog.at_level(logging.INFO):
        logging.getLogger("some.other.module").info("回拨 %s", "13912345678")
    assert "13912345678" not in caplog.text and "139****5678" in caplog.text


def test_generated_key_file_is_private(tmp_path, monkeypatch, caplog):
    key_file = tmp_path / "var" / "intake_data.key"
    monkeypatch.delenv("INTAKE_DATA_KEY", raising=False)
    monkeypatch.setenv("INTAKE_DATA_KEY_FILE", str(key_file))
    with caplog.at_level(logging.WARNING):
        token = privacy.encrypt("13912345678")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "INTAKE_DATA_KEY is not set" in caplog.text
    assert privacy.decrypt(token) == "13912345678"
    assert "13912345678" not in token


def _key_of_a_new_process(key_file: str) -> str:
    import os

    os.environ.pop("INTAKE_DATA_KEY", None)
    os.environ["INTAKE_DATA_KEY_FILE"] = key_file
    return privacy.data_key().decode()


def test_processes_starting_together_agree_on_one_key(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    key_file = str(tmp_path / "var" / "intake_data.key")
    with ProcessPoolExecutor(4) as pool:
        keys = set(pool.map(_key_of_a_new_process, [key_file] * 8))
    assert len(keys) == 1 and keys == {(tmp_path / "var" / "intake_data.key").read_text().strip()}
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["intake_data.key"]  # no drafts left


def test_a_replaced_key_file_is_read_again(tmp_path, monkeypatch):
    import os

    from cryptography.fernet import Fernet

    key_file = tmp_path / "intake_data.key"
    monkeypatch.delenv("INTAKE_DATA_KEY", raising=False)
    monkeypatch.setenv("INTAKE_DATA_KEY_FILE", str(key_file))
    first = privacy.data_key()
    assert privacy.data_key() == first
    key_file.write_bytes(Fernet.generate_key())
    os.utime(key_file, ns=(1, 1))  # a different modification time, whatever the clock's resolution
    assert privacy.data_key() != first


def test_last4_hash_matches_only_last4():
    assert privacy.last4_hash("13912345678") == privacy.last4_hash("5678")
    assert privacy.last4_hash("13912345678") != privacy.last4_hash("5679")
    assert privacy.last4_hash("12") is None


def test_retention_days(monkeypatch):
    monkeypatch.delenv("INTAKE_RETENTION_DAYS", raising=False)
    assert privacy.retention_days(30) == 30
    monkeypatch.setenv("INTAKE_RETENTION_DAYS", "7")
    assert privacy.retention_days(30) == 7


@pytest.mark.parametrize(
    "message, clear, masked",
    [
        ("回拨一三八二二七一五五六六谢谢", "二二七一五五六六", "138****5566"),
        ("电话幺三八二二七一五五六六", "幺三八二二七一", "138****5566"),
        ("手机138，2271，5566。", "2271", "138****5566"),
        ("身份证110101 19900307 663X，", "19900307", "110101********663X"),
        ("身份证110101-19900307-663X号", "19900307", "110101********663X"),
    ],
)
def test_log_filter_masks_what_the_fact_extractor_reads_as_a_phone_or_id(message, clear, masked):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(privacy.PiiLogFilter())
    logger = logging.getLogger("test.pii.spoken")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("citizen said %s", message)
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert clear not in out and masked in out


def test_a_phone_in_financial_numerals_is_masked_in_free_text():
    masked = privacy.mask_text("我电话是壹叁陸 伍伍捌柒 貳零玖肆，麻烦打这个")
    assert "伍伍捌柒" not in masked and "5587" not in masked
