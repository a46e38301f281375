"""ingest.source: one release read the same way whatever its edition (text, CSV, JSON) and container (folder, zip)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from fixtures import current as fx
from onetlocal.errors import BuildError
from onetlocal.ingest.source import file_key, open_release


@pytest.mark.parametrize(
    "name,key",
    [
        ("Essential Skills.txt", "essential_skills"),
        ("essential_skills.csv", "essential_skills"),
        ("essential_skills.json", "essential_skills"),
        ("Essential Skills.xlsx", "essential_skills"),
        ("Education, Training, and Experience.txt", "education_training_and_experience"),
        ("GWAs to IWAs to DWAs.txt", "gwas_to_iwas_to_dwas"),
        ("Read Me.txt", "read_me"),
    ],
)
def test_file_key(name, key):
    assert file_key(name) == key


def _table(location: Path, key: str) -> tuple[str, list[str], list[list[str | None]]]:
    with open_release(location) as source:
        with source.rows(key) as (header, rows):
            return source.edition, header, list(rows)


@pytest.mark.parametrize("edition", fx.EDITIONS)
@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
def test_every_edition_and_container_reads_the_same_cells(tmp_path, edition, zipped):
    location = fx.write_release(tmp_path, edition, zipped)
    with open_release(location) as source:
        assert source.edition == edition
        assert set(source.keys()) == {t.table_id for t in fx.TABLES} | {"read_me"}
        assert source.read_me().startswith(f"O*NET {fx.VERSION} Database")
        if zipped:
            assert source.label == f"{location}:{fx.folder_name(edition)}"
    table = fx.BY_ID["task_ratings"]
    found, header, rows = _table(location, "task_ratings")
    columns = table.text_header if edition == "text" else table.header
    expected = table.rows if edition == "text" else table.csv_rows()
    assert header == [fx.snake(h) for h in columns] if edition == "json" else header == list(columns)
    assert len(rows) == len(expected)
    for row, cells in zip(rows, expected, strict=False):
        by_column = dict(zip(columns, row, strict=False))
        for column, cell in zip(columns, cells, strict=False):
            value = by_column[column]
            if cell == "":
                assert value is None, (column, row)  # n/a, an empty cell and null alike
            elif column in ("Data Value", "Standard Error", "Lower CI Bound", "Upper CI Bound"):
                assert float(value) == float(cell)
            else:
                assert value == cell, (column, row)  # dates back to MM/YYYY, ids and quoted text as written


def test_csv_quoting_rfc_4180(tmp_path):
    """Quoted commas, doubled quotes and a line break inside a quoted field are cells, not separators."""
    files = fx.release_files("csv")
    files["occupation_data.csv"] = (
        b"\xef\xbb\xbfO*NET-SOC Code,Title,Description\r\n"
        b'15-1252.00,Software Developers,"Writes, tests and ""ships""\r\ncode."\r\n'
        b"29-1141.00,Registered Nurses,\r\n"
    )
    location = fx.write_release(tmp_path, "csv", files=files)
    _, header, rows = _table(location, "occupation_data")
    assert header == ["O*NET-SOC Code", "Title", "Description"]  # the byte-order mark is not in the first name
    assert rows == [
        ["15-1252.00", "Software Developers", 'Writes, tests and "ships"\r\ncode.'],
        ["29-1141.00", "Registered Nurses", None],
    ]


def test_the_release_folder_is_found_inside_a_zip(tmp_path):
    """The official zip nests its folder; other folders and files in the zip are not the release."""
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in fx.release_files("csv").items():
            zf.writestr(f"outer/{fx.folder_name('csv')}/{name}", data)
        zf.writestr("outer/notes.csv", b"a,b\r\n1,2\r\n")
    with open_release(archive) as source:
        assert source.edition == "csv" and "notes" not in source.keys()
        assert source.label.endswith(f"outer/{fx.folder_name('csv')}")


def test_a_zip_without_a_release_names_the_marker(tmp_path):
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data/skills.csv", b"x\r\n")
    with pytest.raises(BuildError, match="occupation_data.csv"):
        with open_release(archive):
            pass


def test_bad_json_names_the_file(tmp_path):
    files = fx.release_files("json")
    files["job_titles.json"] = b'{"table_id": "job_titles", "row": []}'
    location = fx.write_release(tmp_path, "json", files=files)
    with pytest.raises(BuildError, match=r"job_titles\.json: unreadable"):
        _table(location, "job_titles")
