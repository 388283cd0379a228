"""The ``scenario`` command: what if one actor's ties with another went to zero or turned hostile?

It parses its arguments, makes one call on :func:`realpolitik.analytics.scenario.scenario` and
prints the projected moves with the model's assumptions under them (see
:mod:`realpolitik.cli.common` for exit codes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..errors import RealpolitikError
from ..render import text_table
from .common import DEFAULT, Db, app, fail, open_store, output_file, shown, write_json
from .common import parse_date as _date


def _pairs(values: list[str] | None, option: str) -> list[tuple[str, str]]:
    out = []
    for v in values or []:
        parts = [p for p in v.replace(",", ":").split(":") if p.strip()]
        if len(parts) != 2:
            raise typer.BadParameter(f"{v!r} is not a pair; write X:Y, e.g. USA:SYR", param_hint=option)
        out.append((parts[0].strip().upper(), parts[1].strip().upper()))
    return out


@app.command("scenario")
def scenario_cmd(
    remove: Annotated[list[str] | None, typer.Option("--remove", help="A tie to take away, X:Y (repeatable).")] = None,
    hostile: Annotated[list[str] | None, typer.Option("--hostile", help="A tie to turn hostile, X:Y (repeatable).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="First day of the window, from which the change applies (YYYY-MM-DD); default: the store's last five years, or back to the changed ties' events.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last day of the window (YYYY-MM-DD); default: the store's last event.")] = None,
    draws: Annotated[int, typer.Option("--draws", min=1, help="Bootstrap draws of the events behind each tie.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draws, so that a run repeats.")] = 0,
    min_events: Annotated[int, typer.Option("--min-events", min=1, help="Least events for a tie.")] = 2,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw the network before and after to this PNG file.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the whole scenario as JSON to this file.")] = None,
    db: Db = DEFAULT,
) -> None:
    """What if X's ties with Y went to zero (or turned hostile)? Who would structural balance pull to realign, and with whom."""
    from ..analytics.scenario import plot_scenario, scenario

    removed, turned = _pairs(remove, "--remove"), _pairs(hostile, "--hostile")
    if not removed and not turned:
        raise typer.BadParameter("name a tie to change: --remove X:Y or --hostile X:Y", param_hint="--remove")
    plot, json_out = output_file(plot, db=db), output_file(json_out, db=db)
    store = open_store(db)
    try:
        sc = scenario(store, remove=removed, hostile=turned, since=_date(since), until=_date(until), draws=draws,
                      seed=seed, min_events=min_events)
    except RealpolitikError as exc:
        raise fail(exc) from None
    out = Console(highlight=False, width=max(120, Console().width))
    what = "; ".join(f"{a}-{b} {'removed' if k == 'remove' else 'turned hostile'}" for a, b, k in sc.changes)
    window = f"{sc.window[0]} to {sc.window[1]}" if sc.window else "the whole store"
    out.print(f"[bold]Scenario: {shown(what)}[/bold]; network of {window}: {sc.before.number_of_nodes()} actors, "
              f"{sc.before.number_of_edges()} ties; {sc.draws} draws")
    out.print("blocs now: " + shown(" | ".join(" ".join(b) for b in sc.blocs_before)))
    out.print("blocs projected: " + shown(" | ".join(" ".join(b) for b in sc.blocs_after)))
    if len(sc.moves):
        out.print(text_table(
            ["actor", "projected move", "probability", "mover", "driving triads", "evidence"],
            [(r.actor, r.projected_move, f"{r.probability:.0%}", "yes" if r.mover else "",
              ", ".join(r.triads), _evidence(r.event_ids)) for r in sc.moves.itertuples()],
            title=f"Actors moving in {sc.threshold:.0%} of the draws or more (a mover: a third or more)",
            right={"probability"}, fold=True))
    else:
        top = max(sc.probabilities.items(), key=lambda kv: (kv[1], kv[0]), default=None)
        most = f" (the most: {shown(top[0])}, in {top[1]:.0%})" if top and top[1] > 0 else " (none in any draw)"
        out.print(f"No actor changes bloc in {sc.threshold:.0%} of the draws or more{most}.")
    out.print("[bold]Assumptions[/bold]")
    for line in sc.assumptions:
        out.print(f"  - {shown(line)}")
    if plot is not None:
        plot_scenario(sc, plot)
        typer.echo(f"{plot}: plot written")
    write_json(json_out, sc.to_dict())


def _evidence(ids: list[str], shown_ids: int = 3) -> str:
    if len(ids) <= shown_ids:
        return ", ".join(ids)
    return ", ".join(ids[:shown_ids]) + f" (+{len(ids) - shown_ids} more; --json lists all)"
