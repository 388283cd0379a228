"""Commands that look ahead: ``forecast``, ``backtest``, ``alerts``.

Each parses its arguments, makes one call on :mod:`realpolitik.analytics` and prints, plots or
writes JSON (see :mod:`realpolitik.cli.common` for exit codes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ..errors import RealpolitikError
from ..render import text_table
from .common import DEFAULT, Db, app, fail, open_store, output_file, shown, write_json

Freq = Annotated[str, typer.Option("--freq", help="day, week, month, quarter or year.")]
Json = Annotated[Path | None, typer.Option("--json", help="Also write the result as JSON to this file.")]


def _finish(out: Console, notes: Any, plot: Path | None, draw: Any, json_out: Path | None, data: Any) -> None:
    """Print the notes, then draw the plot (``draw(plot)``) and write the JSON where asked."""
    for note in notes:
        out.print(f"note: {shown(note)}")
    if plot is not None:
        draw(plot)
        typer.echo(f"{plot}: plot written")
    write_json(json_out, data)


def _num(x: Any, fmt: str = "{:+.0f}") -> str:
    return "" if x is None or x != x else fmt.format(x)


@app.command("forecast")
def forecast_cmd(
    a: Annotated[str, typer.Argument(help="First actor: a country or code, optionally with a sector (IRQ, 'IRQ GOV').")],
    b: Annotated[str, typer.Argument(help="Second actor.")],
    db: Db = DEFAULT,
    freq: Freq = "month",
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=120, help="Periods ahead.")] = 6,
    model: Annotated[str, typer.Option("--model", help="auto, no_change, local_level, local_trend or pooled.")] = "auto",
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw the forecast to this PNG file.")] = None,
    json_out: Json = None,
) -> None:
    """Where two actors' relations are heading: the cooperation-conflict index and event counts ahead, with 50% and 90% intervals."""
    from ..analytics.forecast import forecast, plot_forecast

    plot, json_out = output_file(plot, db=db), output_file(json_out, db=db)
    store = open_store(db)
    try:
        fc = forecast(store, a, b, freq=freq, horizon=horizon, model=model)
    except RealpolitikError as exc:
        raise fail(exc) from None
    out = Console(highlight=False, width=max(110, Console().width))
    wide = fc.frame.pivot(index="period", columns="measure", values=["mean", "lo90", "hi90", "lo50", "hi50"])
    rows = []
    for period in wide.index:
        r = wide.loc[period]
        rows.append((period, _num(r[("mean", "index_per_1k")]),
                     f"[{_num(r[('lo50', 'index_per_1k')])},{_num(r[('hi50', 'index_per_1k')])}]",
                     f"[{_num(r[('lo90', 'index_per_1k')])},{_num(r[('hi90', 'index_per_1k')])}]",
                     *(f"{r[('mean', q)]:.1f} [{r[('lo90', q)]:.0f}-{r[('hi90', q)]:.0f}]"
                       for q in ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"))))
    skill = "" if fc.skill is None else f", skill {fc.skill:+.0%} vs no change"
    header = ["period", "index/1k", "50%", "90%", "verbal coop", "material coop", "verbal confl", "material confl"]
    out.print(text_table(header, rows, title=f"{shown(a)} <-> {shown(b)}, {fc.horizon} {fc.freq}s ahead "
                                             f"({fc.model}{skill})", right=set(header) - {"period"}))
    _finish(out, fc.notes, plot, lambda path: plot_forecast(fc, path), json_out, fc.to_dict())


@app.command("backtest")
def backtest_cmd(
    db: Db = DEFAULT,
    freq: Freq = "month",
    horizons: Annotated[str, typer.Option("--horizons", help="Periods ahead to score, comma-separated.")] = "1,3,6",
    min_events: Annotated[int, typer.Option("--min-events", min=1, help="Least events for a dyad to be scored.")] = 20,
    models: Annotated[str, typer.Option("--models", help="Models to score, comma-separated (auto too; no_change always).")] = "no_change,local_level,local_trend,pooled",
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw skill and coverage to this PNG file.")] = None,
    json_out: Json = None,
) -> None:
    """How well each forecasting model would have done: rolling-origin errors, interval scores, coverage and skill against no change."""
    from ..analytics.backtest import backtest, plot_backtest

    try:
        steps = tuple(int(h) for h in horizons.split(",") if h.strip())
    except ValueError:
        raise typer.BadParameter(f"{horizons!r} is not a list of whole numbers, e.g. 1,3,6",
                                 param_hint="--horizons") from None
    plot, json_out = output_file(plot, db=db), output_file(json_out, db=db)
    store = open_store(db)
    try:
        bt = backtest(store, freq=freq, horizons=steps, min_events=min_events,
                      models=tuple(m.strip() for m in models.split(",") if m.strip()))
    except RealpolitikError as exc:
        raise fail(exc) from None
    out = Console(highlight=False, width=max(110, Console().width))
    header = ["model", "h", "dyads", "forecasts", "MAE", "interval score", "CRPS", "cover 50%", "cover 90%", "skill"]
    out.print(text_table(header, [
        (r.model, r.horizon, r.dyads, r.forecasts, _num(r.mae, "{:.1f}"), _num(r.interval_score, "{:.1f}"),
         _num(r.crps, "{:.1f}"), _num(r.coverage50, "{:.0%}"), _num(r.coverage90, "{:.0%}"), _num(r.skill, "{:+.1%}"))
        for r in bt.frame.itertuples()], title=f"Backtest by {bt.freq}", right=set(header) - {"model"}))
    _finish(out, bt.notes, plot if len(bt.frame) else None, lambda path: plot_backtest(bt, path), json_out,
            bt.to_dict())


@app.command("alerts")
def alerts_cmd(
    db: Db = DEFAULT,
    freq: Freq = "month",
    top: Annotated[int, typer.Option("--top", min=1, help="Most alerts to show.")] = 20,
    min_events: Annotated[int, typer.Option("--min-events", min=1, help="Least events for a dyad to be watched.")] = 10,
    every: Annotated[str, typer.Option("--every", help="Window of the bloc comparison: month, quarter or year.")] = "year",
    json_out: Json = None,
) -> None:
    """Early warnings: dyads breaking out of their forecast or changing level, actors changing bloc, with their evidence."""
    from ..analytics.alerts import alerts

    json_out = output_file(json_out, db=db)
    store = open_store(db)
    try:
        found = alerts(store, freq=freq, top=top, min_events=min_events, every=every)
    except RealpolitikError as exc:
        raise fail(exc) from None
    out = Console(highlight=False, width=max(110, Console().width))
    if not found:
        out.print("no alerts: no dyad or actor breaks with its recent past")
    else:
        out.print(text_table(["score", "kind", "subject", "period", "detail", "evidence"], [
            (f"{al.score:.1f}", al.kind, shown(al.subject), al.period, shown(al.detail),
             shown(", ".join(al.event_ids[:3]) + (f" (+{len(al.event_ids) - 3})" if len(al.event_ids) > 3 else "")))
            for al in found], title=f"Alerts by {freq}", right={"score"}))
    write_json(json_out, {"alerts": [al.to_dict() for al in found]})
