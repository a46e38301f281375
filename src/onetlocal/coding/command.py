"""The `onetlocal code` command (registered by cli.py): options in, `run.code_file`, one summary line out."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from onetlocal.services import coding


def _default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


@click.command("code")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (same format as the input) [default: INPUT with .coded before the extension].",
)
@click.option("--column", default="title", show_default=True, help="The column holding the job titles.")
@click.option(
    "--industry-column", help="A column holding NAICS industry codes (2 to 6 digits) that sharpen the coding."
)
@click.option("--description-column", help="A column holding job descriptions: used when the title finds nothing.")
@click.option(
    "--review-below",
    type=click.FloatRange(0, 1),
    default=coding.REVIEW_BELOW,
    show_default=True,
    help="Flag rows whose confidence is below this for review (the `review` column).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes [default: the cores available, at most 4].",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    default=None,
    help="The SQLite database built from the data [env ONETLOCAL_DB; default: onet.sqlite in the per-user data "
    "folder].",
)
def code(
    source: Path,
    output: Path | None,
    column: str,
    industry_column: str | None,
    description_column: str | None,
    review_below: float,
    workers: int | None,
    quiet: bool,
    db: Path | None,
) -> None:
    """Code the job titles of a CSV, TSV, XLSX or JSON Lines file to O*NET-SOC occupations.

    Writes the same format with columns added: onet_code, onet_title, confidence (the calibrated probability that
    the 6-digit SOC occupation is right), alt1_/alt2_ code, title and confidence (the next occupations), and review
    (confidence below --review-below). Identical titles are coded once. An interrupted run writes nothing.
    """
    from onetlocal.coding.files import FileError
    from onetlocal.coding.run import code_file, default_output
    from onetlocal.config import default_db_path
    from onetlocal.errors import OnetLocalError

    db_path = db or default_db_path()
    if not db_path.is_file():
        raise click.ClickException(f"no database at {db_path}: build one with `onetlocal build` (or give --db)")
    target = output or default_output(source)
    bar = None
    if not quiet and sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        bar = Progress(
            TextColumn("coding"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rows]:,} rows, {task.fields[rate]:,.0f}/s"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
    started = time.perf_counter()
    try:
        if bar is not None:
            with bar:
                task = bar.add_task("coding", total=None, rows=0, rate=0.0)

                def show(position: int, size: int, rows: int) -> None:
                    rate = rows / max(1e-9, time.perf_counter() - started)
                    bar.update(task, completed=position, total=size, rows=rows, rate=rate)

                summary = code_file(
                    source, target, db_path, column, industry_column, description_column, review_below,
                    workers or _default_workers(), show,
                )  # fmt: skip
        else:
            summary = code_file(
                source, target, db_path, column, industry_column, description_column, review_below,
                workers or _default_workers(),
            )  # fmt: skip
    except KeyboardInterrupt:
        click.echo("interrupted: no output written", err=True)
        sys.exit(130)
    except (FileError, OnetLocalError) as exc:
        raise click.ClickException(str(exc)) from None
    rate = summary.rows / summary.seconds if summary.seconds else 0.0
    note = f"; {summary.bad_industry:,} rows coded without their industry (no NAICS code OEWS publishes)" * bool(
        summary.bad_industry
    )
    click.echo(
        f"{summary.rows:,} rows ({summary.distinct:,} distinct) coded in {summary.seconds:.1f} s ({rate:,.0f}/s); "
        f"{summary.flagged:,} flagged for review; wrote {target}{note}",
        err=True,
    )
