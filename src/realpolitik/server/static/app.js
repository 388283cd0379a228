/* realpolitik dashboard. One script, no libraries, no network access beyond this server's API.
 *
 * Every text that comes from the store (sentences, titles, names) is put in the page with
 * textContent or as an attribute value, never as markup: see el() and svg() below.
 */
"use strict";
(() => {
  const VIEW = document.getElementById("view");
  const SVGNS = "http://www.w3.org/2000/svg";
  const BLOCS = ["#2456a6", "#d9822b", "#1a8a4a", "#8e44ad", "#c8322b", "#0f7b78", "#b8860b", "#5d6d7e", "#d35d9b", "#4b7bec"];
  const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
  const MODALITIES = ["asserted", "negated", "hypothetical", "conditional", "intended", "reported", "historical"];
  const ORIGINS = ["realpolitik", "gdelt", "icews", "polecat"];
  const FINER = { year: "quarter", quarter: "month", month: "month" };
  let renderId = 0;

  // -- building the page safely -------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "text") node.textContent = String(v);
      else if (k === "style") Object.assign(node.style, v);  // through the CSSOM: the policy forbids style attributes
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "text") node.textContent = String(v);
      else node.setAttribute(k, String(v));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function fmt(x, digits = 1, sign = true) {
    if (x === null || x === undefined || Number.isNaN(x)) return "";
    const s = Number(x).toFixed(digits);
    return sign && x > 0 ? "+" + s : s;
  }

  function showError(message) {
    const box = document.getElementById("error");
    box.textContent = message;
    box.hidden = false;
    clearTimeout(showError.timer);
    showError.timer = setTimeout(() => { box.hidden = true; }, 9000);
  }

  // -- the API ------------------------------------------------------------------------------------

  async function api(path, params, init) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
    }
    const response = await fetch(url, init);
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      let detail = body && body.detail;
      if (Array.isArray(detail)) detail = detail.map((d) => `${(d.loc || []).slice(1).join(".")}: ${d.msg}`).join("; ");
      throw new Error(detail || `${response.status} ${response.statusText}`);
    }
    return body;
  }

  // -- routing: #/view/arg/arg?key=value -----------------------------------------------------------

  function parseHash() {
    const raw = location.hash.replace(/^#\/?/, "");
    const [path, query] = raw.split("?");
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    return { view: parts[0] || "network", args: parts.slice(1), q: new URLSearchParams(query || "") };
  }

  function go(view, args = [], params = {}) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, v);
    const tail = q.toString();
    location.hash = "#/" + [view, ...args.map(encodeURIComponent)].join("/") + (tail ? "?" + tail : "");
  }

  const VIEWS = { network: networkView, dyad: dyadView, events: eventsView, event: eventPage, actor: actorView,
    document: documentView, code: codeView, alerts: alertsView, live: liveView, sources: sourcesView };

  async function route() {
    const { view, args, q } = parseHash();
    const id = ++renderId;
    for (const a of document.querySelectorAll("header nav a")) {
      a.classList.toggle("active", a.dataset.view === view || (view === "event" && a.dataset.view === "events"));
    }
    clear(VIEW);
    const render = VIEWS[view] || networkView;
    try {
      await render(args, q, () => id === renderId);
    } catch (e) {
      if (id !== renderId) return;
      VIEW.appendChild(el("p", { class: "error-inline neg", "data-testid": "view-error", text: e.message }));
      showError(e.message);
    }
  }

  // -- shared pieces ------------------------------------------------------------------------------

  function actorLabel(code, country) {
    if (code && country && !code.startsWith(country)) return `${code} (${country})`;
    return code || country || "?";
  }

  function evidence(sentence, marks) {
    const p = el("p", { class: "evidence", "data-testid": "evidence" });
    let at = 0;
    for (const m of marks || []) {
      if (m.start < at) continue;
      p.appendChild(document.createTextNode(sentence.slice(at, m.start)));
      p.appendChild(el("span", { class: `mark mark-${m.kind}`, title: m.kind, "data-kind": m.kind,
        text: sentence.slice(m.start, m.end) }));
      at = m.end;
    }
    p.appendChild(document.createTextNode(sentence.slice(at)));
    return p;
  }

  function markKeys() {
    return el("div", { class: "keys muted" }, ["source", "target", "trigger", "date", "place"].map(
      (k) => el("span", { class: `mark mark-${k}`, text: k })));
  }

  function eventSummary(e) {
    return el("div", {},
      el("span", { class: "tag", text: e.type + (e.mode ? " / " + e.mode : "") }),
      el("strong", { text: e.source }), " \u2192 ", el("strong", { text: e.target }),
      el("span", { class: "muted", text: `  ${e.date || "undated"}` }),
      e.place ? el("span", { class: "muted", text: ` \u00b7 ${e.place}` }) : null,
      e.modality && e.modality !== "asserted" ? el("span", { class: "tag", text: e.modality }) : null,
      e.confidence !== null && e.confidence !== undefined
        ? el("span", { class: "muted", text: ` \u00b7 confidence ${Number(e.confidence).toFixed(2)}` }) : null);
  }

  function fromRow(r) {
    return { id: r.event_id, type: r.event_type, mode: r.mode, source: actorLabel(r.source_code, r.source_country),
      target: actorLabel(r.target_code, r.target_country), date: r.date || r.day, place: r.location_name,
      modality: r.modality, confidence: r.confidence, sentence: r.sentence || "" };
  }

  function fromRecord(r) {
    const who = (a) => (a ? actorLabel(a.code, a.country) : "?");
    return { id: r.event_id, type: r.event_type, mode: r.mode, source: who(r.source), target: who(r.target),
      date: r.date, place: r.location ? r.location.name : null, modality: r.modality, confidence: r.confidence,
      sentence: r.sentence || "" };
  }

  function eventCard(detail) {
    const e = fromRow(detail.event);
    return el("div", { class: "card", "data-testid": "event-card", "data-event": e.id },
      eventSummary(e), evidence(e.sentence, detail.marks),
      el("a", { href: `#/event/${encodeURIComponent(e.id)}`, text: "provenance \u2192" }));
  }

  function table(headers, rows, onClick, testid) {
    const body = el("tbody");
    rows.forEach((cells, i) => {
      const tr = el("tr", { class: onClick ? "clickable" : null, "data-row": i }, cells.map((c) =>
        c instanceof Node ? el("td", {}, c) : el("td", { class: typeof c === "number" ? "num" : null, text: c ?? "" })));
      if (onClick) tr.addEventListener("click", () => onClick(i, tr));
      body.appendChild(tr);
    });
    return el("table", { "data-testid": testid || null }, el("thead", {}, el("tr", {}, headers.map((h) => el("th", { text: h })))), body);
  }

  function colourOf(value) { return value >= 0 ? "pos" : "neg"; }

  async function actorOptions() {
    if (!actorOptions.list) actorOptions.list = el("datalist", { id: "actor-codes" });
    const list = actorOptions.list;
    if (!list.dataset.loaded) {
      list.dataset.loaded = "1";
      try {
        const got = await api("/api/actors", { limit: 300 });
        for (const a of got.items) list.appendChild(el("option", { value: a.code, text: a.name || a.code }));
      } catch (e) { list.dataset.loaded = ""; }
    }
    return list;
  }

  // -- network ------------------------------------------------------------------------------------

  async function networkView(args, q, current) {
    const every = q.get("every") || "year";
    const minEvents = q.get("min") || "2";
    VIEW.appendChild(el("h1", { text: "Alignment network" }));
    const everySel = el("select", { name: "every", "data-testid": "every" }, ["year", "quarter", "month"].map(
      (v) => el("option", { value: v, selected: v === every, text: v })));
    const minInput = el("input", { type: "number", min: 1, name: "min", value: minEvents, size: 4, class: "narrow" });
    VIEW.appendChild(el("form", { class: "controls", onsubmit: (ev) => {
      ev.preventDefault(); go("network", [], { every: everySel.value, min: minInput.value });
    } }, el("label", {}, "window", everySel), el("label", {}, "least events per tie", minInput),
    el("button", { type: "submit", text: "Show" })));
    const data = await api("/api/networks", { every, min_events: minEvents });
    if (!current()) return;
    const wins = data.windows.filter((w) => w.edges.length);
    if (!wins.length) {
      VIEW.appendChild(el("p", { class: "muted", text: "The store holds no dated ties between countries yet." }));
      return;
    }
    const n = wins.length;
    let index = Math.min(n - 1, Math.max(0, parseInt(q.get("w") ?? String(n - 1), 10) || 0));
    const slider = el("input", { type: "range", min: 0, max: n - 1, value: index, "data-testid": "slider",
      "aria-label": "window" });
    const label = el("strong", { "data-testid": "window-label" });
    const play = el("button", { type: "button", class: "secondary", text: "\u25b6 play" });
    const chartBox = el("div", { class: "grow" });
    const side = el("div", { class: "grow" });
    VIEW.appendChild(el("div", { class: "panel" }, el("div", { class: "controls" }, label, play), slider,
      el("p", { class: "muted" }, data.windows.length > n ? `${data.windows.length - n} ${every}s without ties are skipped. ` : "",
        "Colour = bloc; ties ", el("span", { class: "pos", text: "green for cooperation" }), " and ",
        el("span", { class: "neg", text: "red for conflict" }), ", thicker with more events. ",
        "Click a country for its page, a tie for the pair's series.")));
    VIEW.appendChild(el("div", { class: "row" }, chartBox, side));
    VIEW.appendChild(scenarioPanel(wins, () => wins[index]));

    function show(i) {
      index = i;
      const w = wins[i];
      label.textContent = `${w.since} to ${w.until} \u00b7 ${w.nodes.length} actors, ${w.edges.length} ties` +
        (w.balance === null ? "" : ` \u00b7 balance ${(100 * w.balance).toFixed(0)}%`);
      clear(chartBox);
      chartBox.appendChild(drawNetwork(w, every));
      clear(side);
      side.appendChild(networkSide(w, every));
      history.replaceState(null, "", `#/network?every=${every}&min=${minEvents}&w=${i}`);
    }
    slider.addEventListener("input", () => show(parseInt(slider.value, 10)));
    let timer = null;
    play.addEventListener("click", () => {
      if (timer) { clearInterval(timer); timer = null; play.textContent = "\u25b6 play"; return; }
      play.textContent = "\u275a\u275a pause";
      timer = setInterval(() => {
        if (!current() || !document.body.contains(slider)) { clearInterval(timer); return; }
        const next = (index + 1) % n;
        slider.value = next;
        show(next);
      }, 1200);
    });
    show(index);
  }

  function drawNetwork(w, every) {
    const W = 760, H = 560, pad = 46;
    // one layout serves every window; each window's actors are then stretched to fill the frame
    const xs = w.nodes.map((d) => d.x), ys = w.nodes.map((d) => d.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const X = (x) => (x1 > x0 ? pad + (x - x0) / (x1 - x0) * (W - 2 * pad - 40) : W / 2);
    const Y = (y) => (y1 > y0 ? pad + (y - y0) / (y1 - y0) * (H - 2 * pad) : H / 2);
    const at = Object.fromEntries(w.nodes.map((d) => [d.id, d]));
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, "data-testid": "network-svg", role: "img",
      "aria-label": "alignment network" });
    for (const e of w.edges) {
      const a = at[e.a], b = at[e.b];
      const line = svg("line", { class: "edge", x1: X(a.x), y1: Y(a.y), x2: X(b.x), y2: Y(b.y),
        stroke: e.weight >= 0 ? "#1a8a4a" : "#c8322b", "stroke-width": 1 + Math.min(e.events, 30) / 5,
        "stroke-opacity": 0.25 + Math.min(Math.abs(e.weight), 10) / 10 * 0.7, "data-edge": `${e.a}-${e.b}`,
        onclick: () => go("dyad", [e.a, e.b], { freq: FINER[every] || "month" }) },
      svg("title", { text: `${e.a} \u2013 ${e.b}: mean intensity ${fmt(e.weight)}, ${e.events} events ` +
        `(${e.cooperation} cooperation, ${e.conflict} conflict)` }));
      root.appendChild(line);
    }
    for (const d of w.nodes) {
      const r = Math.min(24, 7 + Math.sqrt(d.strength) * 1.6);
      root.appendChild(svg("g", { "data-node": d.id, onclick: () => go("actor", [d.id]) },
        svg("circle", { class: "node", cx: X(d.x), cy: Y(d.y), r, fill: BLOCS[d.bloc % BLOCS.length] },
          svg("title", { text: `${d.name || d.id}: bloc ${d.bloc + 1}, ${d.friends} friends, ${d.foes} foes` })),
        svg("text", { x: X(d.x) + r + 3, y: Y(d.y) + 4, text: d.id })));
    }
    return root;
  }

  function networkSide(w, every) {
    const blocs = {};
    for (const d of w.nodes) (blocs[d.bloc] = blocs[d.bloc] || []).push(d.id);
    const box = el("div", {});
    box.appendChild(el("h2", { text: "Blocs" }));
    box.appendChild(el("div", { "data-testid": "blocs" }, Object.keys(blocs).sort((a, b) => a - b).map((k) =>
      el("div", {}, el("span", { class: "swatch", style: { background: BLOCS[k % BLOCS.length] } }),
        el("strong", { text: `${Number(k) + 1}: ` }), blocs[k].sort().join(" ")))));
    box.appendChild(el("h2", { text: "Strongest ties" }));
    const ties = [...w.edges].sort((p, q) => Math.abs(q.weight) * q.events - Math.abs(p.weight) * p.events).slice(0, 12);
    box.appendChild(table(["pair", "mean", "events", "coop / conflict"],
      ties.map((e) => [`${e.a} \u2013 ${e.b}`, el("span", { class: colourOf(e.weight), text: fmt(e.weight) }), e.events,
        `${e.cooperation} / ${e.conflict}`]),
      (i) => go("dyad", [ties[i].a, ties[i].b], { freq: FINER[every] || "month" }), "ties"));
    return box;
  }

  // -- dyad ---------------------------------------------------------------------------------------

  function periodEnd(start, freq) {
    const d = new Date(start + "T00:00:00Z");
    if (freq === "day") return start;
    if (freq === "week") d.setUTCDate(d.getUTCDate() + 6);
    else {
      d.setUTCMonth(d.getUTCMonth() + { month: 1, quarter: 3, year: 12 }[freq]);
      d.setUTCDate(d.getUTCDate() - 1);
    }
    return d.toISOString().slice(0, 10);
  }

  async function dyadView(args, q, current) {
    const a = (args[0] || "").toUpperCase(), b = (args[1] || "").toUpperCase();
    const freq = q.get("freq") || "quarter";
    VIEW.appendChild(el("h1", { text: a && b ? `${a} \u2013 ${b}` : "Dyads" }));
    const list = await actorOptions();
    const inA = el("input", { name: "a", value: a, list: "actor-codes", placeholder: "IRQ", size: 8, "data-testid": "dyad-a" });
    const inB = el("input", { name: "b", value: b, list: "actor-codes", placeholder: "RUS", size: 8, "data-testid": "dyad-b" });
    const sel = el("select", { name: "freq" }, ["day", "week", "month", "quarter", "year"].map(
      (v) => el("option", { value: v, selected: v === freq, text: v })));
    VIEW.appendChild(el("form", { class: "controls", onsubmit: (ev) => {
      ev.preventDefault();
      if (inA.value.trim() && inB.value.trim()) go("dyad", [inA.value.trim(), inB.value.trim()], { freq: sel.value });
    } }, list, el("label", {}, "actor", inA), el("label", {}, "and", inB), el("label", {}, "by", sel),
    el("button", { type: "submit", text: "Show", "data-testid": "dyad-show" })));
    if (!a || !b) {
      const s = await api("/api/summary");
      if (!current()) return;
      VIEW.appendChild(el("h2", { text: "Busiest pairs" }));
      VIEW.appendChild(table(["source", "target", "events"], s.top_dyads.map((t) => [t.source, t.target, t.events]),
        (i) => go("dyad", [s.top_dyads[i].source, s.top_dyads[i].target], { freq }), "top-dyads"));
      return;
    }
    const data = await api(`/api/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}`, { freq });
    if (!current()) return;
    const periods = data.periods;
    if (!periods.length) {
      VIEW.appendChild(el("p", { class: "muted", text: `No dated events between ${a} and ${b}.` }));
      return;
    }
    const total = periods.reduce((s, p) => s + p.events, 0);
    const changes = periods.filter((p) => p.change).map((p) => p.period);
    VIEW.appendChild(el("p", { class: "muted" }, `${total} events; mean PLOVER intensity per ${freq} `,
      "(\u221210 conflict \u2026 +10 cooperation) with its 90% bootstrap interval; bars: cooperation above, conflict below",
      changes.length ? `; change points at ${changes.join(", ")}` : "; no change point", ". Click a point for its events."));
    const below = el("div", { "data-testid": "period-events" });
    let picked = null;
    const pick = (i) => showPeriod(i).catch((e) => showError(e.message));
    const showPeriod = async (i) => {
      picked = i;
      for (const c of VIEW.querySelectorAll("[data-period]")) c.classList.toggle("selected", c.dataset.index === String(i));
      const p = periods[i];
      clear(below);
      below.appendChild(el("h2", { text: `Events of the ${freq} from ${p.period}` }));
      if (!p.events) { below.appendChild(el("p", { class: "muted", text: "None." })); return; }
      const ids = p.event_ids.slice(0, 25);
      below.appendChild(markKeys());
      const details = await Promise.all(ids.map((id) => api(`/api/events/${encodeURIComponent(id)}`)));
      if (picked !== i) return;
      for (const d of details) below.appendChild(eventCard(d));
      if (p.event_ids.length > ids.length) {
        below.appendChild(el("a", { href: `#/events?dyad=${a},${b}&since=${p.period}&until=${periodEnd(p.period, freq)}`,
          text: `all ${p.event_ids.length} events of the period \u2192` }));
      }
    };
    VIEW.appendChild(el("div", { class: "panel" }, drawDyad(periods, pick)));
    VIEW.appendChild(forecastPanel(a, b, freq, current));
    VIEW.appendChild(below);
    VIEW.appendChild(el("h2", { text: "Periods" }));
    VIEW.appendChild(table(["period", "events", `${a}\u2192${b}`, `${b}\u2192${a}`, "coop (verbal/material)",
      "conflict (verbal/material)", "mean", "interval", "change"],
    periods.map((p) => [p.period, p.events, p.a_to_b, p.b_to_a, `${p.verbal_cooperation} / ${p.material_cooperation}`,
      `${p.verbal_conflict} / ${p.material_conflict}`,
      p.events ? el("span", { class: colourOf(p.mean_intensity), text: fmt(p.mean_intensity) }) : "",
      p.events ? `[${fmt(p.ci_low)}, ${fmt(p.ci_high)}]` : "", p.change ? "change" : ""]),
    (i) => pick(i), "dyad-table"));
    const firstWith = periods.map((p, i) => [p, i]).filter(([p]) => p.events).pop();
    if (firstWith) await showPeriod(firstWith[1]);
  }

  function drawDyad(periods, pick) {
    const W = 900, H = 380, left = 44, right = 14, top = 14, mid = 250, bottom = 360;
    const n = periods.length;
    const X = (i) => left + (n === 1 ? (W - left - right) / 2 : i * (W - left - right) / (n - 1));
    const Y = (v) => top + (10 - v) / 20 * (mid - top);
    const maxBar = Math.max(1, ...periods.map((p) => Math.max(p.verbal_cooperation + p.material_cooperation,
      p.verbal_conflict + p.material_conflict)));
    const base = (mid + bottom) / 2 + 10, half = (bottom - mid) / 2 - 6;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H + 20}`, "data-testid": "dyad-chart", role: "img",
      "aria-label": "dyad series" });
    for (const v of [-10, -5, 0, 5, 10]) {
      root.appendChild(svg("line", { class: v === 0 ? "axis" : "grid", x1: left, x2: W - right, y1: Y(v), y2: Y(v) }));
      root.appendChild(svg("text", { x: 4, y: Y(v) + 4, text: (v > 0 ? "+" : "") + v }));
    }
    root.appendChild(svg("line", { class: "axis", x1: left, x2: W - right, y1: base, y2: base }));
    const seen = periods.map((p, i) => [p, i]).filter(([p]) => p.events > 0);
    if (seen.length > 1) {
      const upper = seen.map(([p, i]) => `${X(i)},${Y(p.ci_high)}`);
      const lower = seen.slice().reverse().map(([p, i]) => `${X(i)},${Y(p.ci_low)}`);
      root.appendChild(svg("polygon", { class: "band", points: [...upper, ...lower].join(" ") }));
      root.appendChild(svg("polyline", { class: "line", points: seen.map(([p, i]) => `${X(i)},${Y(p.mean_intensity)}`).join(" ") }));
    }
    const bw = Math.max(2, Math.min(18, (W - left - right) / Math.max(1, n) * 0.6));
    periods.forEach((p, i) => {
      const coop = p.verbal_cooperation + p.material_cooperation, conf = p.verbal_conflict + p.material_conflict;
      if (coop) root.appendChild(svg("rect", { class: "bar-coop", x: X(i) - bw / 2, width: bw, y: base - coop / maxBar * half, height: coop / maxBar * half }));
      if (conf) root.appendChild(svg("rect", { class: "bar-conflict", x: X(i) - bw / 2, width: bw, y: base, height: conf / maxBar * half }));
      if (p.change) root.appendChild(svg("line", { class: "change", x1: X(i), x2: X(i), y1: top, y2: bottom, "data-change": p.period }));
    });
    for (const [p, i] of seen) {
      root.appendChild(svg("circle", { class: "point", cx: X(i), cy: Y(p.mean_intensity), r: Math.min(9, 3 + Math.sqrt(p.events)),
        "data-period": p.period, "data-index": i, onclick: () => pick(i) },
      svg("title", { text: `${p.period}: ${p.events} events, mean ${fmt(p.mean_intensity)} [${fmt(p.ci_low)}, ${fmt(p.ci_high)}]` })));
    }
    const step = Math.max(1, Math.ceil(n / 10));
    periods.forEach((p, i) => {
      if (i % step === 0) {
        root.appendChild(svg("text", { x: Math.min(W - right - 34, Math.max(left + 34, X(i))), y: H + 14,
          "text-anchor": "middle", text: p.period }));
      }
    });
    return root;
  }

  // -- where relations are heading: forecast band, scenario panel, alerts ----------------------------

  const MEASURES = { index_per_1k: "cooperation\u2013conflict index", verbal_cooperation: "verbal cooperation",
    material_cooperation: "material cooperation", verbal_conflict: "verbal conflict", material_conflict: "material conflict" };

  function pct(x) {
    if (x === null || x === undefined || Number.isNaN(x)) return "";
    return `${x > 0 ? "+" : ""}${Math.round(100 * x)}%`;
  }

  function forecastPanel(a, b, freq, current) {
    const f = freq === "quarter" ? "quarter" : "month";
    const box = el("div", { class: "panel", "data-testid": "forecast" },
      el("h2", { text: `Where it is heading (by ${f})` }), el("p", { class: "muted", text: "Forecasting\u2026" }));
    api(`/api/forecast/${encodeURIComponent(a)}/${encodeURIComponent(b)}`, { freq: f, horizon: 6 }).then((fc) => {
      if (!current()) return;
      clear(box);
      box.appendChild(el("h2", { text: `Where it is heading (by ${f}, ${fc.horizon} ahead)` }));
      const measures = Object.keys(MEASURES).filter((m) => fc.frame.some((r) => r.measure === m));
      let measure = measures.includes("index_per_1k") ? "index_per_1k" : measures[0];
      const sel = el("select", { name: "measure", "data-testid": "forecast-measure" }, measures.map(
        (m) => el("option", { value: m, selected: m === measure, text: MEASURES[m] })));
      const skill = fc.skill === null || fc.skill === undefined ? "not measured (too short a series)"
        : `${pct(fc.skill)} vs \u201cno change\u201d`;
      box.appendChild(el("div", { class: "controls" }, el("label", {}, "measure", sel),
        el("p", { class: "muted", "data-testid": "forecast-model" }, "model ", el("strong", { text: fc.model }),
          " \u00b7 skill ", el("span", { class: fc.skill > 0 ? "pos" : fc.skill < 0 ? "neg" : null, text: skill }),
          " (1 \u2212 its mean absolute error over that of repeating the last value, on this pair\u2019s own past)")));
      const chart = el("div", {});
      const draw = () => { clear(chart); chart.appendChild(drawForecast(fc, measure)); };
      sel.addEventListener("change", () => { measure = sel.value; draw(); });
      box.appendChild(chart);
      box.appendChild(el("div", { class: "legend muted" },
        el("span", {}, el("span", { class: "swatch swatch-line" }), "observed"),
        el("span", {}, el("span", { class: "swatch swatch-mean" }), "forecast mean"),
        el("span", {}, el("span", { class: "swatch swatch-50" }), "50% interval"),
        el("span", {}, el("span", { class: "swatch swatch-90" }), "90% interval")));
      if (fc.notes.length) {
        box.appendChild(el("ul", { class: "notes", "data-testid": "forecast-notes" }, fc.notes.map((n) => el("li", { text: n }))));
      }
      if (measure) draw();
      else chart.appendChild(el("p", { class: "muted", text: "No forecast for this pair." }));
    }).catch((e) => {
      if (!current()) return;
      clear(box);
      box.appendChild(el("h2", { text: "Where it is heading" }));
      box.appendChild(el("p", { class: "muted", "data-testid": "forecast-error", text: e.message }));
    });
    return box;
  }

  function drawForecast(fc, measure) {
    const W = 900, H = 300, left = 52, right = 16, top = 14, bottom = 270;
    const keep = Math.max(24, 4 * fc.horizon);
    const seen = fc.history.slice(-keep).map((h) => ({ period: h.period, v: h[measure] }));
    const ahead = fc.frame.filter((r) => r.measure === measure && r.mean !== null).sort((p, q) => p.step - q.step);
    const n = seen.length + ahead.length;
    const X = (i) => left + (n <= 1 ? 0 : i * (W - left - right) / (n - 1));
    const values = [...seen.map((s) => s.v), ...ahead.flatMap((r) => [r.lo90, r.hi90, r.mean])]
      .filter((v) => v !== null && v !== undefined && !Number.isNaN(v));
    const raw = (Math.max(...values, 1) - Math.min(0, ...values)) / 4;
    const unit = Math.pow(10, Math.floor(Math.log10(raw)));
    const tick = unit * [1, 2, 5, 10].find((m) => m * unit >= raw);
    const lo = Math.floor(Math.min(0, ...values) / tick) * tick, hi = Math.ceil(Math.max(...values, 1) / tick) * tick;
    const Y = (v) => bottom - (v - lo) / (hi - lo) * (bottom - top);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H + 16}`, "data-testid": "forecast-chart", role: "img",
      "aria-label": `forecast of ${MEASURES[measure]}` });
    for (let v = lo; v <= hi + tick / 2; v += tick) {
      root.appendChild(svg("line", { class: Math.abs(v) < tick / 2 ? "axis" : "grid", x1: left, x2: W - right, y1: Y(v), y2: Y(v) }));
      root.appendChild(svg("text", { x: 4, y: Y(v) + 4, text: Number(v.toFixed(tick < 1 ? 2 : 0)).toLocaleString("en") }));
    }
    const last = seen.length - 1;
    const anchor = last >= 0 && seen[last].v !== null ? [X(last), Y(seen[last].v)] : null;
    const at = (r, k) => [X(seen.length + k), r];
    const band = (loKey, hiKey, cls) => {
      const upper = ahead.map((r, k) => at(Y(r[hiKey]), k));
      const lower = ahead.map((r, k) => at(Y(r[loKey]), k)).reverse();
      const pts = [...(anchor ? [anchor] : []), ...upper, ...lower].map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`);
      return svg("path", { class: cls, d: `M${pts.join("L")}Z` });
    };
    if (ahead.length) {
      root.appendChild(band("lo90", "hi90", "band-90"));
      root.appendChild(band("lo50", "hi50", "band-50"));
    }
    const observed = seen.map((s, i) => [s, i]).filter(([s]) => s.v !== null && s.v !== undefined);
    if (observed.length) {
      root.appendChild(svg("polyline", { class: "line", "data-testid": "forecast-observed",
        points: observed.map(([s, i]) => `${X(i).toFixed(1)},${Y(s.v).toFixed(1)}`).join(" ") }));
    }
    if (ahead.length) {
      const mean = [...(anchor ? [anchor] : []), ...ahead.map((r, k) => at(Y(r.mean), k))];
      root.appendChild(svg("path", { class: "forecast-mean", d: `M${mean.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join("L")}` }));
      root.appendChild(svg("line", { class: "now", x1: X(last), x2: X(last), y1: top, y2: bottom }));
      ahead.forEach((r, k) => {
        root.appendChild(svg("circle", { class: "forecast-point", cx: X(seen.length + k), cy: Y(r.mean), r: 3.5, "data-step": r.step },
          svg("title", { text: `${r.period} (+${r.step}): ${fmt(r.mean, 2, false)}; 50% [${fmt(r.lo50, 2, false)}, ` +
            `${fmt(r.hi50, 2, false)}], 90% [${fmt(r.lo90, 2, false)}, ${fmt(r.hi90, 2, false)}]` })));
      });
    }
    const periods = [...seen.map((s) => s.period), ...ahead.map((r) => r.period)];
    const step = Math.max(1, Math.ceil(n / 9));
    periods.forEach((p, i) => {
      if (i % step === 0 || i === seen.length) {
        root.appendChild(svg("text", { x: Math.min(W - right - 34, Math.max(left + 34, X(i))), y: H + 10,
          "text-anchor": "middle", class: i >= seen.length ? "ahead" : null, text: p }));
      }
    });
    return root;
  }

  function scenarioPanel(wins, window) {
    const codes = [...new Set(wins.flatMap((w) => w.nodes.map((d) => d.id)))].sort();
    const w0 = window();
    const strongest = [...w0.edges].sort((p, q) => Math.abs(q.weight) * q.events - Math.abs(p.weight) * p.events)[0];
    const pickX = el("select", { name: "x", "data-testid": "scenario-x" }, codes.map(
      (c) => el("option", { value: c, selected: strongest && c === strongest.a, text: c })));
    const pickY = el("select", { name: "y", "data-testid": "scenario-y" }, codes.map(
      (c) => el("option", { value: c, selected: strongest && c === strongest.b, text: c })));
    const kind = el("select", { name: "kind", "data-testid": "scenario-kind" },
      el("option", { value: "remove", text: "their tie is removed" }), el("option", { value: "hostile", text: "they turn hostile" }));
    const only = el("input", { type: "checkbox", name: "window", "data-testid": "scenario-window" });
    const draws = el("input", { type: "number", min: 1, max: 500, name: "draws", value: 50, class: "narrow",
      "data-testid": "scenario-draws" });
    const run = el("button", { type: "submit", text: "Project", "data-testid": "scenario-run" });
    const out = el("div", { "data-testid": "scenario-result" });
    const form = el("form", { class: "controls", onsubmit: async (ev) => {
      ev.preventDefault();
      if (pickX.value === pickY.value) { showError("choose two different actors"); return; }
      const w = window();
      run.disabled = true;
      clear(out);
      out.appendChild(el("p", { class: "muted", text: "Projecting\u2026" }));
      try {
        const sc = await api("/api/scenario", { [kind.value]: `${pickX.value}:${pickY.value}`,
          since: only.checked ? w.since : null, until: only.checked ? w.until : null, draws: draws.value });
        if (!document.body.contains(out)) return;
        clear(out);
        out.appendChild(drawScenario(sc));
      } catch (e) {
        clear(out);
        out.appendChild(el("p", { class: "neg", "data-testid": "scenario-error", text: e.message }));
      } finally {
        run.disabled = false;
      }
    } }, el("label", {}, "if", pickX), el("label", {}, "and", pickY), el("label", {}, "\u00a0", kind),
    el("label", {}, "draws", draws), el("label", { class: "inline" }, only, "only the window shown"), run);
    return el("div", { class: "panel", "data-testid": "scenario" }, el("h2", { text: "What if\u2026 (scenario)" }),
      el("p", { class: "muted", text: "Assume a tie removed or turned hostile and see who would change bloc under " +
        "structural balance: the network before and as projected, the movers with their probability over " +
        "simulated draws, the triads that push them, and the assumptions behind it." }), form, out);
  }

  function drawScenario(sc) {
    const movers = new Set(sc.moves.map((m) => m.actor));
    const changed = new Set(sc.changes.map((c) => [c.a, c.b].sort().join("-")));
    const box = el("div", {});
    box.appendChild(el("p", { "data-testid": "scenario-summary" }, "Assuming ",
      sc.changes.map((c, i) => [i ? "; " : "", el("strong", { text: `${c.a}\u2013${c.b}` }),
        c.kind === "hostile" ? " turn hostile" : " no longer tied"]),
      sc.window ? ` (network of ${sc.window[0]} to ${sc.window[1]})` : "", ": ",
      el("strong", { text: `${sc.movers.length} actor${sc.movers.length === 1 ? "" : "s"}` }),
      ` would move in at least a third of ${sc.draws} draws; ${sc.blocs_before.length} blocs before, ${sc.blocs_after.length} projected.`));
    box.appendChild(el("div", { class: "row" },
      el("div", { class: "grow" }, el("h3", { text: "Before" }), drawScenarioNet(sc.before, movers, changed, "scenario-before")),
      el("div", { class: "grow" }, el("h3", { text: "Projected" }), drawScenarioNet(sc.after, movers, changed, "scenario-after"))));
    box.appendChild(el("p", { class: "muted", text: "Ringed: the actors listed under Movers; dashed: the ties the scenario changes; " +
      "dotted: ties the projection turns." }));
    box.appendChild(el("h3", { text: "Movers" }));
    if (!sc.moves.length) {
      box.appendChild(el("p", { class: "muted", "data-testid": "scenario-no-moves",
        text: `Nobody changes bloc in ${Math.round(100 * sc.threshold)}% or more of the draws.` }));
    } else {
      box.appendChild(table(["actor", "projected move", "from", "to", "probability", "through triads", "evidence"],
        sc.moves.map((m) => [el("a", { href: `#/actor/${encodeURIComponent(m.actor)}`, text: m.actor }),
          m.projected_move, m.from_bloc, m.to_bloc,
          el("span", { class: m.mover ? null : "muted" }, el("span", { class: "bar", style: { width: `${Math.round(m.probability * 80)}px`, background: "#f0a500" } }),
            ` ${Math.round(100 * m.probability)}%`),
          m.triads.slice(0, 4).join(", ") + (m.triads.length > 4 ? ` \u2026 (${m.triads.length})` : ""),
          el("span", {}, m.event_ids.slice(0, 3).map((id, i) => [i ? " " : "",
            el("a", { href: `#/event/${encodeURIComponent(id)}`, text: `#${i + 1}` })]),
          m.event_ids.length > 3 ? ` +${m.event_ids.length - 3}` : "")]), null, "scenario-moves"));
    }
    box.appendChild(el("h3", { text: "Assumptions" }));
    box.appendChild(el("ul", { class: "notes", "data-testid": "scenario-assumptions" }, sc.assumptions.map((t) => el("li", { text: t }))));
    return box;
  }

  function drawScenarioNet(net, movers, changed, testid) {
    const W = 560, H = 420, pad = 34;
    const xs = net.nodes.map((d) => d.x), ys = net.nodes.map((d) => d.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const X = (x) => (x1 > x0 ? pad + (x - x0) / (x1 - x0) * (W - 2 * pad - 30) : W / 2);
    const Y = (y) => (y1 > y0 ? pad + (y - y0) / (y1 - y0) * (H - 2 * pad) : H / 2);
    const at = Object.fromEntries(net.nodes.map((d) => [d.id, d]));
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, "data-testid": testid, role: "img", "aria-label": testid.replace("-", " ") });
    for (const e of net.edges) {
      const a = at[e.source], b = at[e.target];
      if (!a || !b) continue;
      const mark = changed.has([e.source, e.target].sort().join("-"));
      root.appendChild(svg("line", { class: `edge${mark ? " changed" : ""}${e.flipped ? " flipped" : ""}`,
        x1: X(a.x), y1: Y(a.y), x2: X(b.x), y2: Y(b.y), stroke: e.weight >= 0 ? "#1a8a4a" : "#c8322b",
        "stroke-opacity": 0.25 + Math.min(Math.abs(e.weight), 10) / 10 * 0.6,
        "stroke-width": mark ? 3 : 1 + Math.min(e.events, 30) / 10, "data-edge": `${e.source}-${e.target}` },
      svg("title", { text: `${e.source} \u2013 ${e.target}: ${fmt(e.weight)}${e.flipped ? " (turned)" : ""}` })));
    }
    for (const d of net.nodes) {
      const moved = movers.has(d.id);
      root.appendChild(svg("g", { "data-node": d.id, class: moved ? "mover" : null, onclick: () => go("actor", [d.id]) },
        svg("circle", { class: moved ? "node mover" : "node", cx: X(d.x), cy: Y(d.y), r: moved ? 10 : 8,
          fill: BLOCS[Math.max(0, d.bloc) % BLOCS.length] }, svg("title", { text: `${d.id}: bloc ${d.bloc + 1}${moved ? " (moves)" : ""}` })),
        svg("text", { x: X(d.x) + 12, y: Y(d.y) + 4, class: moved ? "mover-label" : null, text: d.id })));
    }
    return root;
  }

  async function alertsView(args, q, current) {
    const freq = q.get("freq") === "quarter" ? "quarter" : "month";
    const top = q.get("top") || "20";
    VIEW.appendChild(el("h1", { text: "Alerts" }));
    const freqSel = el("select", { name: "freq" }, ["month", "quarter"].map((v) => el("option", { value: v, selected: v === freq, text: v })));
    const topInput = el("input", { type: "number", min: 1, max: 100, name: "top", value: top, class: "narrow" });
    VIEW.appendChild(el("form", { class: "controls", onsubmit: (ev) => {
      ev.preventDefault(); go("alerts", [], { freq: freqSel.value, top: topInput.value });
    } }, el("label", {}, "by", freqSel), el("label", {}, "at most", topInput), el("button", { type: "submit", text: "Show" })));
    VIEW.appendChild(el("p", { class: "muted", text: "What changed lately, most urgent first: a pair breaking out of its " +
      "forecast interval, a change point in a pair\u2019s series, an actor flipping bloc. Click a row for its evidence." }));
    const data = await api("/api/alerts", { freq, top });
    if (!current()) return;
    if (!data.alerts.length) {
      VIEW.appendChild(el("p", { class: "muted", "data-testid": "no-alerts", text: "Nothing stands out in the latest periods." }));
      return;
    }
    const evidenceBox = el("div", { class: "grow", "data-testid": "alert-evidence" });
    const link = (al) => {
      const pair = al.subject.split("-");
      return pair.length === 2
        ? el("a", { href: `#/dyad/${encodeURIComponent(pair[0])}/${encodeURIComponent(pair[1])}?freq=${freq}`, text: al.subject })
        : el("a", { href: `#/actor/${encodeURIComponent(al.subject)}`, text: al.subject });
    };
    let shown = 0;
    const pick = async (i, tr) => {
      for (const x of VIEW.querySelectorAll("[data-testid=alerts-table] tr.selected")) x.classList.remove("selected");
      if (tr) tr.classList.add("selected");
      const al = data.alerts[i], want = ++shown;
      clear(evidenceBox);
      evidenceBox.appendChild(el("h2", {}, `${al.kind.replace("_", " ")}: `, link(al), ` \u00b7 ${al.period}`));
      evidenceBox.appendChild(el("p", { text: al.detail }));
      if (!al.event_ids.length) { evidenceBox.appendChild(el("p", { class: "muted", text: "No events listed." })); return; }
      const ids = al.event_ids.slice(0, 8);
      const details = await Promise.all(ids.map((id) => api(`/api/events/${encodeURIComponent(id)}`)));
      if (want !== shown || !current()) return;
      evidenceBox.appendChild(markKeys());
      for (const d of details) evidenceBox.appendChild(eventCard(d));
      if (al.event_ids.length > ids.length) {
        evidenceBox.appendChild(el("p", { class: "muted", text: `and ${al.event_ids.length - ids.length} more events` }));
      }
    };
    const listBox = el("div", { class: "grow" }, table(["#", "kind", "subject", "period", "score", "what", "events"],
      data.alerts.map((al, i) => [i + 1, el("span", { class: `tag kind-${al.kind}`, text: al.kind.replace("_", " ") }), link(al),
        al.period, Number(al.score).toFixed(2), al.detail, al.event_ids.length]),
      (i, tr) => pick(i, tr).catch((e) => showError(e.message)), "alerts-table"));
    VIEW.appendChild(el("div", { class: "row" }, listBox, evidenceBox));
    await pick(0, listBox.querySelector("tbody tr"));
  }

  // -- events -------------------------------------------------------------------------------------

  const FILTERS = ["actor", "dyad", "type", "since", "until", "modality", "origin"];

  async function eventsView(args, q, current) {
    VIEW.appendChild(el("h1", { text: "Events" }));
    const inputs = {
      actor: el("input", { name: "actor", value: q.get("actor") || "", list: "actor-codes", size: 7, placeholder: "IRQ" }),
      dyad: el("input", { name: "dyad", value: q.get("dyad") || "", size: 9, placeholder: "IRQ,RUS" }),
      type: el("select", { name: "type" }, el("option", { value: "", text: "any" }),
        TYPES.map((t) => el("option", { value: t, selected: q.get("type") === t, text: t }))),
      since: el("input", { name: "since", type: "date", value: q.get("since") || "" }),
      until: el("input", { name: "until", type: "date", value: q.get("until") || "" }),
      modality: el("select", { name: "modality" }, el("option", { value: "", text: "any" }),
        MODALITIES.map((t) => el("option", { value: t, selected: q.get("modality") === t, text: t }))),
      origin: el("select", { name: "origin" }, el("option", { value: "", text: "any" }),
        ORIGINS.map((t) => el("option", { value: t, selected: q.get("origin") === t, text: t }))),
    };
    const order = q.get("order") || "newest";
    const orderSel = el("select", { name: "order" }, ["newest", "oldest"].map((v) => el("option", { value: v, selected: v === order, text: v + " first" })));
    VIEW.appendChild(el("form", { class: "controls", "data-testid": "event-filters", onsubmit: (ev) => {
      ev.preventDefault();
      const params = Object.fromEntries(FILTERS.map((k) => [k, inputs[k].value.trim()]));
      params.order = orderSel.value;
      go("events", [], params);
    } }, await actorOptions(), FILTERS.map((k) => el("label", {}, k, inputs[k])), el("label", {}, "order", orderSel),
    el("button", { type: "submit", text: "Filter", "data-testid": "apply-filters" })));
    const params = Object.fromEntries(FILTERS.map((k) => [k, q.get(k)]));
    params.order = order;
    params.limit = 25;
    const listBox = el("div", { class: "grow" });
    const detailBox = el("div", { class: "grow", "data-testid": "event-detail" },
      el("p", { class: "muted", text: "Click an event to read its evidence." }));
    VIEW.appendChild(el("div", { class: "row" }, listBox, detailBox));
    const cursors = [null];
    let page = 0;
    let loading = 0;
    let shown = 0;
    async function load(at) {
      const mine = ++loading;
      for (const b of listBox.querySelectorAll(".pager button")) b.disabled = true;
      const got = await api("/api/events", { ...params, cursor: cursors[at] });
      if (!current() || mine !== loading) return;
      page = at;
      clear(listBox);
      cursors[page + 1] = got.next_cursor;
      if (!got.items.length) {
        listBox.appendChild(el("p", { class: "muted", "data-testid": "no-events", text: "No events match." }));
      } else {
        listBox.appendChild(table(["day", "type", "source", "target", "sentence"], got.items.map((r) => {
          const e = fromRow(r);
          const s = e.sentence.length > 110 ? e.sentence.slice(0, 107) + "\u2026" : e.sentence;
          return [r.day || "", e.type, e.source, e.target, s];
        }), (i, tr) => {
          for (const x of listBox.querySelectorAll("tr.selected")) x.classList.remove("selected");
          tr.classList.add("selected");
          const want = ++shown;
          api(`/api/events/${encodeURIComponent(got.items[i].event_id)}`).then((d) => {
            if (want !== shown) return;  // a later click won
            clear(detailBox);
            detailBox.appendChild(eventDetail(d));
          }).catch((e) => showError(e.message));
        }, "events-table"));
      }
      if (!got.items.length && page === 0) return;
      const prev = el("button", { type: "button", class: "secondary", text: "\u2190 previous", disabled: page === 0,
        onclick: () => load(page - 1).catch((e) => showError(e.message)) });
      const next = el("button", { type: "button", class: "secondary", text: "next \u2192", disabled: !got.next_cursor,
        "data-testid": "next-page", onclick: () => load(page + 1).catch((e) => showError(e.message)) });
      listBox.appendChild(el("div", { class: "pager" }, prev, el("span", { class: "muted", text: `page ${page + 1}` }), next));
    }
    await load(0);
  }

  function eventDetail(d) {
    const e = fromRow(d.event);
    const box = el("div", { class: "panel" }, eventSummary(e), markKeys(), evidence(e.sentence, d.marks));
    box.appendChild(el("dl", { class: "prov", "data-testid": "provenance" },
      d.provenance.map((p) => [el("dt", { text: p.what }), el("dd", { text: p.value })])));
    if (d.document) {
      box.appendChild(el("a", { href: `#/document/${encodeURIComponent(d.document.id)}`, "data-testid": "document-link",
        text: `document: ${d.document.title || d.document.id} \u2192` }));
    }
    if (d.event.url) box.appendChild(el("p", { class: "muted", text: `URL: ${d.event.url}` }));
    return box;
  }

  async function eventPage(args, q, current) {
    const d = await api(`/api/events/${encodeURIComponent(args[0] || "")}`);
    if (!current()) return;
    VIEW.appendChild(el("h1", { text: `Event ${d.event.event_id}` }));
    VIEW.appendChild(eventDetail(d));
  }

  async function documentView(args, q, current) {
    const d = await api(`/api/documents/${encodeURIComponent(args[0] || "")}`);
    if (!current()) return;
    VIEW.appendChild(el("h1", { text: d.title || d.id, "data-testid": "document-title" }));
    VIEW.appendChild(el("p", { class: "muted", text: [d.date || "undated", d.outlet, d.url || (d.source ? `${d.source}${d.line ? ":" + d.line : ""}` : null)]
      .filter(Boolean).join(" \u00b7 ") }));
    VIEW.appendChild(el("div", { class: "doctext", "data-testid": "document-text", text: d.text }));
    VIEW.appendChild(el("h2", { text: `${d.event_ids.length} events coded from it` }));
    VIEW.appendChild(el("ul", {}, d.event_ids.map((id) => el("li", {}, el("a", { href: `#/event/${encodeURIComponent(id)}`, text: id })))));
  }

  // -- actors -------------------------------------------------------------------------------------

  async function actorView(args, q, current) {
    const code = (args[0] || "").toUpperCase();
    if (!code) return actorSearch(q, current);
    const p = await api(`/api/actors/${encodeURIComponent(code)}`);
    if (!current()) return;
    VIEW.appendChild(el("h1", { text: `${p.name || p.code} (${p.code})` }));
    VIEW.appendChild(el("p", { class: "muted", text: `${p.events} events from ${p.first_day} to ${p.last_day}` }));
    const tieTable = (ties, testid) => ties.length ? table(["partner", "mean intensity", "events", "coop / conflict"],
      ties.map((t) => [`${t.partner}${t.name ? " \u00b7 " + t.name : ""}`, el("span", { class: colourOf(t.mean_intensity), text: fmt(t.mean_intensity) }),
        t.events, `${t.cooperation} / ${t.conflict}`]), (i) => go("dyad", [code, ties[i].partner], { freq: "quarter" }), testid)
      : el("p", { class: "muted", text: "None with enough events." });
    VIEW.appendChild(el("div", { class: "row" },
      el("div", { class: "grow panel" }, el("h2", { text: "Partners (cooperation)" }), tieTable(p.partners, "partners")),
      el("div", { class: "grow panel" }, el("h2", { text: "Adversaries (conflict)" }), tieTable(p.adversaries, "adversaries"))));
    const drift = el("div", { class: "panel", "data-testid": "drift" }, el("h2", { text: "Drift" }));
    if (p.drift_windows && p.drift.length) {
      const [[b0, b1], [a0, a1]] = p.drift_windows;
      drift.appendChild(el("p", { class: "muted", text: `Change of mean intensity from ${b0}\u2013${b1} to ${a0}\u2013${a1}; ` +
        "permutation test with Benjamini\u2013Hochberg q." }));
      drift.appendChild(table(["partner", "direction", "before", "after", "change", "interval", "q"],
        p.drift.map((r) => [r.partner, el("span", { class: r.difference >= 0 ? "pos" : "neg", text: r.direction }),
          `${fmt(r.before_mean)} (${r.before_events})`, `${fmt(r.after_mean)} (${r.after_events})`,
          el("span", {}, el("span", { class: "bar", style: { width: `${Math.min(120, Math.abs(r.difference) * 8)}px`,
            background: r.difference >= 0 ? "#1a8a4a" : "#c8322b" } }),
            " " + fmt(r.difference)),
          `[${fmt(r.ci_low)}, ${fmt(r.ci_high)}]`, r.q_value.toFixed(3) + (r.significant ? " *" : "")]),
        (i) => go("dyad", [code, p.drift[i].partner], { freq: "quarter" }), "drift-table"));
    } else {
      drift.appendChild(el("p", { class: "muted", text: "Too few events in the last two years to measure drift." }));
    }
    VIEW.appendChild(drift);
    VIEW.appendChild(el("div", { class: "panel" }, el("h2", { text: "Events by year" }), drawYears(p.by_year)));
  }

  function drawYears(years) {
    const W = 900, H = 200, mid = 100, left = 40;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H + 16}`, "data-testid": "years-chart", role: "img", "aria-label": "events by year" });
    const top = Math.max(1, ...years.map((y) => Math.max(y.cooperation, y.conflict)));
    const bw = Math.min(40, (W - left) / Math.max(1, years.length) * 0.7);
    root.appendChild(svg("line", { class: "axis", x1: left, x2: W, y1: mid, y2: mid }));
    years.forEach((y, i) => {
      const x = left + (i + 0.5) * (W - left) / years.length;
      root.appendChild(svg("rect", { class: "bar-coop", x: x - bw / 2, width: bw, y: mid - y.cooperation / top * 90, height: y.cooperation / top * 90 },
        svg("title", { text: `${y.year}: ${y.cooperation} cooperation` })));
      root.appendChild(svg("rect", { class: "bar-conflict", x: x - bw / 2, width: bw, y: mid, height: y.conflict / top * 90 },
        svg("title", { text: `${y.year}: ${y.conflict} conflict` })));
      root.appendChild(svg("text", { x: x - 14, y: H + 12, text: y.year }));
    });
    root.appendChild(svg("text", { x: 2, y: 14, text: "coop." }));
    root.appendChild(svg("text", { x: 2, y: H - 4, text: "confl." }));
    return root;
  }

  async function actorSearch(q, current) {
    VIEW.appendChild(el("h1", { text: "Actors" }));
    const input = el("input", { type: "search", value: q.get("q") || "", placeholder: "code or name, e.g. Iraq",
      "data-testid": "actor-search", size: 30 });
    const box = el("div", {});
    VIEW.appendChild(el("div", { class: "controls" }, el("label", {}, "find", input)));
    VIEW.appendChild(box);
    let seq = 0;
    async function load() {
      const mine = ++seq;
      const got = await api("/api/actors", { q: input.value.trim(), limit: 100 });
      if (mine !== seq || !current()) return;
      clear(box);
      box.appendChild(table(["code", "name", "events", "first", "last"],
        got.items.map((a) => [a.code, a.name || "", a.events, a.first_day || "", a.last_day || ""]),
        (i) => go("actor", [got.items[i].code]), "actors-table"));
    }
    let wait = null;
    input.addEventListener("input", () => { clearTimeout(wait); wait = setTimeout(() => load().catch((e) => showError(e.message)), 200); });
    await load();
  }

  // -- a watched store: the newest events as they are stored, and the sources ---------------------

  const LIVE_EVERY = 4000;  // ms between two questions of the live view (an unchanged store answers from the server's cache)
  const SOURCES_EVERY = 10000;
  const LIVE_ROWS = 300;  // rows the live view keeps; older ones leave at the bottom

  // fn() every `ms` while alive() and the tab is shown: paused while it is hidden (onPause is told),
  // asked at once when it is shown again, and stopped for good once alive() is false.
  function repeat(ms, alive, fn, onPause) {
    let timer = null, running = false;
    const stop = () => { clearTimeout(timer); timer = null; document.removeEventListener("visibilitychange", shown); };
    async function tick() {
      timer = null;
      if (!alive()) { stop(); return; }
      if (document.hidden) { if (onPause) onPause(); return; }
      running = true;
      try { await fn(); } catch (e) { /* fn says what went wrong; the next tick tries again */ } finally { running = false; }
      if (alive() && !document.hidden && !timer) timer = setTimeout(tick, ms);
    }
    function shown() {
      if (!alive()) { stop(); return; }
      clearTimeout(timer);
      timer = null;
      if (document.hidden) { if (onPause) onPause(); } else if (!running) tick();
    }
    document.addEventListener("visibilitychange", shown);
    timer = setTimeout(tick, ms);
    return stop;
  }

  function clock(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleTimeString([], { hour12: false });
  }

  function ago(iso) {
    if (!iso) return "";
    const t = new Date(iso).getTime();
    if (Number.isNaN(t)) return String(iso);
    const s = Math.round((t - Date.now()) / 1000);
    return s > 0 ? `in ${span(s)}` : `${span(-s)} ago`;
  }

  function span(seconds) {
    const n = Math.abs(seconds);
    return n < 60 ? `${n} s` : n < 3600 ? `${Math.round(n / 60)} min` : n < 172800 ? `${Math.round(n / 3600)} h`
      : `${Math.round(n / 86400)} days`;
  }

  function when(iso) {
    return iso ? el("span", { title: new Date(iso).toLocaleString(), text: ago(iso) }) : el("span", { class: "muted", text: "never" });
  }

  async function liveView(args, q, current) {
    VIEW.appendChild(el("h1", { text: "Live" }));
    VIEW.appendChild(el("p", { class: "muted", text: "The events stored most recently, newest first. New ones appear at the " +
      "top as they are stored (by the watcher, an ingest or the API), without reloading; the store is asked every " +
      `${LIVE_EVERY / 1000} seconds while this tab is shown. Click a row for its evidence.` }));
    const status = el("p", { class: "muted", "data-testid": "live-status", text: "Asking the store\u2026" });
    const body = el("tbody");
    const grid = el("table", { "data-testid": "live-table" },
      el("thead", {}, el("tr", {}, ["stored", "day", "type", "source", "target", "sentence"].map((h) => el("th", { text: h })))), body);
    const empty = el("p", { class: "muted", "data-testid": "no-events", text: "No events yet: they show here as they are stored." });
    const detailBox = el("div", { class: "grow", "data-testid": "event-detail" },
      el("p", { class: "muted", text: "Click an event to read its evidence." }));
    const first = await api("/api/events/newest", { limit: 50 });
    if (!current()) return;
    VIEW.appendChild(status);
    VIEW.appendChild(el("div", { class: "row" }, el("div", { class: "grow" }, empty, grid), detailBox));
    const seen = new Set();
    let cursor = first.cursor, arrived = 0, shown = 0;

    function rowOf(r, fresh) {
      const e = fromRow(r);
      const s = e.sentence.length > 110 ? e.sentence.slice(0, 107) + "\u2026" : e.sentence;
      const tr = el("tr", { class: fresh ? "clickable fresh" : "clickable", "data-event": r.event_id },
        el("td", { class: "nowrap", title: r.ingested_at ? new Date(r.ingested_at).toLocaleString() : null, text: clock(r.ingested_at) }),
        el("td", { class: "nowrap", text: r.day || "" }), el("td", { text: e.type }), el("td", { text: e.source }), el("td", { text: e.target }),
        el("td", { text: s }));
      tr.addEventListener("click", () => {
        for (const x of body.querySelectorAll("tr.selected")) x.classList.remove("selected");
        tr.classList.add("selected");
        const want = ++shown;
        api(`/api/events/${encodeURIComponent(r.event_id)}`).then((d) => {
          if (want !== shown) return;  // a later click won
          clear(detailBox);
          detailBox.appendChild(eventDetail(d));
        }).catch((err) => showError(err.message));
      });
      if (fresh) tr.addEventListener("animationend", () => tr.classList.remove("fresh"));
      return tr;
    }

    function add(items, fresh) {  // items newest first: the block goes on top in that order
      const block = document.createDocumentFragment();
      for (const r of items) {
        if (seen.has(r.event_id)) continue;
        seen.add(r.event_id);
        block.appendChild(rowOf(r, fresh));
        if (fresh) arrived += 1;
      }
      body.insertBefore(block, body.firstChild);
      while (body.children.length > LIVE_ROWS) {
        seen.delete(body.lastChild.dataset.event);
        body.removeChild(body.lastChild);
      }
      empty.hidden = body.children.length > 0;
      grid.hidden = !empty.hidden;
    }

    function told(extra) {
      status.textContent = `${arrived} new since this page was opened \u00b7 last asked ${clock(new Date().toISOString())}` +
        (extra ? ` \u00b7 ${extra}` : "");
    }

    add(first.items, false);
    told(first.more ? `showing the newest ${first.items.length}` : "");
    const alive = () => current() && document.body.contains(grid);
    repeat(LIVE_EVERY, alive, async () => {
      try {
        const got = await api("/api/events/newest", { after: cursor, limit: 100 });
        if (!alive()) return;
        cursor = got.cursor;
        add(got.items, true);
        if (got.items.length) header();  // the counts in the header too
        told(got.more ? "more arrived than shown at once; the oldest of them are on the Events page" : "");
      } catch (e) {
        if (alive()) status.textContent = `The store could not be asked (${e.message}); trying again.`;
      }
    }, () => { status.textContent = "Paused while this tab is hidden."; });
  }

  async function sourcesView(args, q, current) {
    VIEW.appendChild(el("h1", { text: "Sources" }));
    VIEW.appendChild(el("p", { class: "muted", text: "The feeds and sitemaps that realpolitik watch polls: when each was last " +
      "fetched and how it went, its article links (stored, waiting, given up), its errors and when it is next due. " +
      `Refreshed every ${SOURCES_EVERY / 1000} seconds while this tab is shown.` }));
    const box = el("div", { "data-testid": "sources" });
    VIEW.appendChild(box);

    function draw(items) {
      clear(box);
      if (!items.length) {
        box.appendChild(el("p", { class: "muted", "data-testid": "no-sources",
          text: "No sources are watched in this store yet: start realpolitik watch SOURCES --db STORE." }));
        return;
      }
      const failing = items.filter((r) => r.errors > 0).length;
      box.appendChild(el("p", { "data-testid": "sources-summary" }, `${items.length} source${items.length === 1 ? "" : "s"}`,
        failing ? el("span", { class: "neg", text: ` \u00b7 ${failing} failing` }) : el("span", { class: "pos", text: " \u00b7 none failing" })));
      const grid = table(["source", "status", "last fetch", "last good", "entries (stored / waiting / failed)", "errors (in a row / all)",
        "last error", "next poll"], items.map((r) => {
        const state = r.errors > 0 ? el("span", { class: "tag state-failing", text: "failing" })
          : r.last_fetch ? el("span", { class: "tag state-ok", text: "ok" }) : el("span", { class: "tag", text: "not yet fetched" });
        return [
          el("div", {}, el("div", { class: "url", text: r.url }),
            el("div", { class: "muted", text: [r.outlet, r.kind, r.interval_seconds ? `every ${span(r.interval_seconds)}` : null]
              .filter(Boolean).join(" \u00b7 ") })),
          el("span", {}, state, r.last_status ? el("span", { class: "muted", text: ` HTTP ${r.last_status}` }) : null),
          when(r.last_fetch), when(r.last_ok),
          el("span", { class: "num" }, `${r.entries} `, el("span", { class: "muted", text: `(${r.stored} / ${r.pending} / ${r.failed})` })),
          el("span", { class: r.errors > 0 ? "neg" : null, text: `${r.errors} / ${r.total_errors}` }),
          r.last_error ? el("span", { class: "neg", "data-testid": "source-error", text: r.last_error }) : el("span", { class: "muted", text: "\u2013" }),
          !r.next_poll ? el("span", { class: "muted", text: "\u2013" })
            : new Date(r.next_poll).getTime() <= Date.now() ? el("span", { title: new Date(r.next_poll).toLocaleString(), text: "due now" })
              : when(r.next_poll),
        ];
      }), null, "sources-table");
      grid.querySelectorAll("tbody tr").forEach((tr, i) => {
        tr.dataset.source = items[i].url;
        if (items[i].errors > 0) tr.classList.add("failing");
      });
      box.appendChild(grid);
    }

    const first = await api("/api/sources");
    if (!current()) return;
    draw(first.items);
    const alive = () => current() && document.body.contains(box);
    repeat(SOURCES_EVERY, alive, async () => {
      try {
        const got = await api("/api/sources");
        if (alive()) draw(got.items);
      } catch (e) {
        if (alive()) showError(e.message);
      }
    });
  }

  // -- coding a pasted text -----------------------------------------------------------------------

  async function codeView() {
    VIEW.appendChild(el("h1", { text: "Code a text" }));
    VIEW.appendChild(el("p", { class: "muted", text: "Paste news or analysis text; it is coded here and not stored." }));
    const text = el("textarea", { "data-testid": "code-text", placeholder: "Russia delivered helicopters to Iraq on Monday." });
    const date = el("input", { type: "date", "data-testid": "code-date" });
    const button = el("button", { type: "submit", text: "Code", "data-testid": "code-submit" });
    const out = el("div", { "data-testid": "code-results" });
    VIEW.appendChild(el("form", { onsubmit: async (ev) => {
      ev.preventDefault();
      if (!text.value.trim()) return;
      button.disabled = true;
      clear(out);
      out.appendChild(el("p", { class: "muted", text: "Coding\u2026" }));
      try {
        const got = await api("/api/code", {}, { method: "POST", headers: { "content-type": "application/json" },
          body: JSON.stringify({ text: text.value, date: date.value || null }) });
        clear(out);
        out.appendChild(el("p", { "data-testid": "code-count", text: `${got.events.length} event${got.events.length === 1 ? "" : "s"}` }));
        if (got.events.length) out.appendChild(markKeys());
        got.events.forEach((rec, i) => {
          const e = fromRecord(rec);
          out.appendChild(el("div", { class: "card", "data-testid": "coded-event" }, eventSummary(e), evidence(e.sentence, got.marks[i]),
            el("div", { class: "muted", text: `rule ${rec.rule}; date ${rec.date || "-"} (${rec.date_method}${rec.date_text ? ", from \u201c" + rec.date_text + "\u201d" : ""})` })));
        });
      } catch (e) {
        clear(out);
        out.appendChild(el("p", { class: "neg", "data-testid": "code-error", text: e.message }));
      } finally {
        button.disabled = false;
      }
    } }, text, el("div", { class: "controls" }, el("label", {}, "document date", date), button)));
    VIEW.appendChild(out);
  }

  // -- start --------------------------------------------------------------------------------------

  async function header() {
    try {
      const s = await api("/api/summary");
      document.getElementById("summary").textContent =
        `${s.events.toLocaleString()} events \u00b7 ${s.documents.toLocaleString()} documents` +
        (s.first_day ? ` \u00b7 ${s.first_day} to ${s.last_day}` : "");
    } catch (e) { showError(e.message); }
  }

  window.addEventListener("hashchange", route);
  header();
  route();
})();
