"""Reading pages from folders and zips: limits, unsafe names, damaged archives."""

import io
import zipfile

import pytest

from imports import sources
from imports.sources import SourceError, collect, read_zip

PAGE = "标题\n2005-01-02\n正文。\n".encode()


def make_zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def test_pages_in_a_zip_are_read_and_other_files_skipped():
    data = make_zip(
        [
            ("新闻/一.txt", PAGE),
            ("新闻/二.html", b"<html></html>"),
            ("新闻/图片.jpg", b"\xff\xd8"),
            ("__MACOSX/新闻/._一.txt", b"junk"),
        ]
    )
    files = read_zip(data)
    assert [f.name for f in files] == ["新闻/一.txt", "新闻/二.html"]
    assert files[0].read() == PAGE


def test_path_traversal_names_are_refused_not_read():
    files = read_zip(make_zip([("../../etc/evil.txt", PAGE), ("/abs.txt", PAGE), ("ok.txt", PAGE)]))
    by_name = {f.name: f for f in files}
    assert by_name["ok.txt"].read() == PAGE
    for name in ("../../etc/evil.txt", "/abs.txt"):
        with pytest.raises(SourceError, match="不安全"):
            by_name[name].read()


def test_a_zip_bomb_member_is_stopped_while_reading(monkeypatch):
    """The size is checked as the member is inflated, whatever the header declares."""
    monkeypatch.setattr(sources, "MAX_PAGE_BYTES", 100_000)
    bomb = b"0" * 2_000_000  # compresses to about 2 KB
    data = make_zip([("bomb.txt", bomb), ("ok.txt", PAGE)])
    assert len(data) < 20_000
    files = {f.name: f for f in read_zip(data)}
    with pytest.raises(SourceError, match="太大"):
        files["bomb.txt"].read()
    assert files["ok.txt"].read() == PAGE


def test_too_many_pages_in_a_zip_are_refused(monkeypatch):
    monkeypatch.setattr(sources, "MAX_ZIP_MEMBERS", 3)
    data = make_zip([(f"{i}.txt", PAGE) for i in range(4)])
    with pytest.raises(SourceError, match="太多"):
        read_zip(data)


def test_a_damaged_zip_is_refused():
    with pytest.raises(SourceError, match="损坏"):
        read_zip(b"PK\x03\x04 not really a zip")


def test_gbk_member_names_from_chinese_windows_are_decoded():
    """Zips made on Chinese Windows store GBK names without the UTF-8 flag."""
    gbk_name = "新闻.txt".encode("gbk")
    placeholder = b"abcd.txt"
    assert len(gbk_name) == len(placeholder)
    raw = make_zip([(placeholder.decode(), PAGE)])
    files = read_zip(raw.replace(placeholder, gbk_name))
    assert [f.name for f in files] == ["新闻.txt"]
    assert files[0].read() == PAGE


def test_collect_names_files_in_folders_by_their_relative_path(tmp_path):
    folder = tmp_path / "pages"
    (folder / "2004").mkdir(parents=True)
    (folder / "2004" / "index.html").write_bytes(PAGE)
    (folder / "2005").mkdir()
    (folder / "2005" / "index.html").write_bytes(PAGE)
    (folder / ".hidden.txt").write_bytes(PAGE)
    (folder / "notes.doc").write_bytes(b"x")
    single = tmp_path / "one.txt"
    single.write_bytes(PAGE)
    files = collect([folder, single, tmp_path / "missing.txt"])
    assert [f.name for f in files] == [
        "pages/2004/index.html",
        "pages/2005/index.html",
        "one.txt",
        str(tmp_path / "missing.txt"),
    ]
    with pytest.raises(SourceError, match="不存在"):
        files[-1].read()
