"""The HTTP routes of where relations are heading: forecasts, backtests, scenarios and alerts.

Each answers one library call (:mod:`realpolitik.analytics.forecast`, ``backtest``,
``scenario``, ``alerts``), run in a worker thread of the server's analysis pool within the
request's time budget (503 with ``Retry-After`` when it runs out), and is kept like every read
answer until the store changes. :func:`add_outlook_routes` adds them to the application that
:func:`realpolitik.server.app.create_app` builds.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from . import schemas as s
from .params import ActorCode, Day, json_ready
from .work import CodingPool, answer_in

__all__ = ["add_outlook_routes", "MAX_HORIZON", "MAX_DRAWS", "MAX_CHANGES", "BACKTEST_HORIZONS",
           "BACKTEST_MIN_EVENTS"]

MAX_HORIZON = 24
"""Most periods ahead one forecast may reach."""
MAX_DRAWS = 500
"""Most simulated draws one scenario may take."""
MAX_CHANGES = 8
"""Most ties one scenario may remove (and, apart, turn hostile)."""
BACKTEST_HORIZONS = (1, 3, 6)
"""The horizons ``GET /api/backtest`` scores (the command line takes any)."""
BACKTEST_MIN_EVENTS = 20
"""Least events of a dyad that ``GET /api/backtest`` scores: fewer dyads, a bounded cost."""

OutlookFreq = Annotated[Literal["month", "quarter"], Query(description="Period of the series: month or quarter.")]
PAIR = r"^[A-Za-z0-9_]+:[A-Za-z0-9_]+$"
"""Two actors of a scenario's change, as the API takes them: USA:SYR."""
Changes = Annotated[list[Annotated[str, Field(max_length=81, pattern=PAIR)]] | None,
                    Query(max_length=MAX_CHANGES, description=f"Two countries, X:Y (repeat for more, at most "
                                                              f"{MAX_CHANGES}).")]


def add_outlook_routes(app: FastAPI, store: Any, heavy: CodingPool) -> None:
    """Add ``/api/forecast``, ``/api/backtest``, ``/api/scenario`` and ``/api/alerts`` over
    ``store`` to ``app``, their work done in ``heavy``."""
    async def analysed(job: Any, *args: Any, **kwargs: Any) -> Any:
        """``job(*args, **kwargs)`` in a worker thread within the request's time budget; a 503
        answer when it runs out (the work goes on to its end and is dropped, except a backtest's,
        which is kept for the next request)."""
        def run(budget: Any) -> Any:
            budget.check()
            return job(*args, **kwargs)

        return await answer_in(heavy, run, busy="no worker was free",
                               slow="the analysis took longer than the server allows", late="try again later",
                               stopping="try again later")

    backtests: dict[tuple[Any, str], Any] = {}
    backtest_lock = threading.Lock()

    def kept_backtest(freq: str) -> Any:
        """The backtest of the store as it is now, computed once per store generation and kept."""
        from ..analytics.backtest import backtest

        key = (store.db.generation, freq)
        with backtest_lock:  # a second request for it waits for the first and finds it kept
            got = backtests.get(key)
            if got is None:
                got = backtest(store, freq=freq, horizons=BACKTEST_HORIZONS, min_events=BACKTEST_MIN_EVENTS)
                for old in [k for k in backtests if k[0] != key[0]]:
                    del backtests[old]
                backtests[key] = got
        return got

    @app.get("/api/forecast/{a}/{b}", response_model=s.ForecastBody, tags=["outlook"])
    async def forecast_view(a: ActorCode, b: ActorCode, freq: OutlookFreq = "month",
                            horizon: Annotated[int, Query(ge=1, le=MAX_HORIZON,
                                                          description="Periods ahead.")] = 6) -> Any:
        """The pair's series continued ``horizon`` periods ahead: mean with 50% and 90% intervals per
        measure, the model chosen by its backtest skill, that skill against "no change", caveats."""
        from ..analytics.forecast import forecast

        got = await analysed(forecast, store, a, b, freq=freq, horizon=horizon)
        return got if isinstance(got, JSONResponse) else json_ready(got.to_dict())

    @app.get("/api/backtest", response_model=s.BacktestBody, tags=["outlook"])
    async def backtest_view(freq: OutlookFreq = "month") -> Any:
        """How well each forecasting model did on the store's own past (rolling origin), by model and
        horizon (1, 3, 6), over the dyads with at least ``BACKTEST_MIN_EVENTS`` events; computed once
        per store generation."""
        got = await analysed(kept_backtest, freq)
        return got if isinstance(got, JSONResponse) else json_ready(got.to_dict())

    @app.get("/api/scenario", response_model=s.ScenarioBody, tags=["outlook"])
    async def scenario_view(remove: Changes = None, hostile: Changes = None, since: Day = None, until: Day = None,
                            draws: Annotated[int, Query(ge=1, le=MAX_DRAWS, description="Simulated draws.")] = 200
                            ) -> Any:
        """The network projected under assumed changes (a tie removed, a tie turned hostile): who would
        move between blocs, how likely, through which triads; both networks, positioned to draw."""
        from ..analytics.scenario import scenario

        pairs = {kind: [tuple(p.upper().split(":")) for p in given or []]
                 for kind, given in (("remove", remove), ("hostile", hostile))}
        got = await analysed(scenario, store, remove=pairs["remove"], hostile=pairs["hostile"], since=since,
                             until=until, draws=draws)
        return got if isinstance(got, JSONResponse) else json_ready(got.to_dict())

    @app.get("/api/alerts", response_model=s.AlertsBody, tags=["outlook"])
    async def alert_list(freq: OutlookFreq = "month",
                         top: Annotated[int, Query(ge=1, le=100, description="Most alerts.")] = 20) -> Any:
        """What changed lately, most urgent first: breakouts from a pair's forecast interval, change
        points, actors flipping bloc; each with one sentence and its evidence events."""
        from ..analytics.alerts import alerts

        got = await analysed(alerts, store, freq=freq, top=top)
        return got if isinstance(got, JSONResponse) else {"alerts": [json_ready(a.to_dict()) for a in got]}
