/* negatives browse: draws the overview and the item pages from the data scripts beside them.
 *
 * Data arrives as `negativesData(kind, key, data)` calls in data/*.js, loaded with <script src>
 * (browsers refuse fetch() on file://). Every value from the data reaches the page as text
 * (textContent) or as an attribute set one by one: nothing from the data is parsed as HTML.
 * The item view keeps its filters and page in the URL's #fragment, so reload and back work.
 */
"use strict";
(function () {
  const state = { pages: {}, waiting: {}, index: null, rendered: 0 };

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined) continue;
      if (key === "text") node.textContent = String(value);
      else if (key === "class") node.className = value;
      else node.setAttribute(key, String(value));
    }
    for (const child of children || []) {
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function num(x, digits) {
    if (x === null || x === undefined) return "–";
    if (typeof x !== "number") return String(x);
    if (Number.isInteger(x)) return String(x);
    return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(digits === undefined ? 3 : digits);
  }

  function shown(value) {
    if (typeof value === "number") return num(value);
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (typeof value === "string") return value;
    return JSON.stringify(value);
  }

  function levelName(level) {
    return level === null || level === undefined ? "none" : String(level);
  }

  function byLevel(a, b) {
    const na = a === "none" ? Infinity : Number(a), nb = b === "none" ? Infinity : Number(b);
    return na - nb;
  }

  function unique(values) {
    return Array.from(new Set(values));
  }

  function link(text, params) {
    return el("a", { href: "items.html#" + new URLSearchParams(params).toString(), text: text });
  }

  function table(header, rows, cls) {
    return el("table", { class: cls }, [
      header ? el("thead", {}, [el("tr", {}, header.map((h) => el("th", { text: h })))]) : null,
      el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => (c instanceof Node && c.nodeName === "TD" ? c : el("td", {}, [c])))))),
    ]);
  }

  function pre(value) {
    return el("pre", { text: JSON.stringify(value, null, 2) });
  }

  function main() {
    return document.getElementById("main");
  }

  function fail(message) {
    main().appendChild(el("p", { class: "error", text: message }));
  }

  // ---- data arrival --------------------------------------------------------------------------

  window.negativesData = function (kind, key, data) {
    if (kind === "overview") overview(data);
    else if (kind === "index") items(data);
    else if (kind === "page") {
      state.pages[key] = data;
      (state.waiting[key] || []).forEach((w) => w.resolve());
      delete state.waiting[key];
    }
  };

  function loadPage(n) {
    if (state.pages[n]) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const first = !state.waiting[n];
      (state.waiting[n] = state.waiting[n] || []).push({ resolve: resolve, reject: reject });
      if (!first) return;
      const script = el("script", { src: "data/page-" + n + ".js" });
      const broken = () => {
        (state.waiting[n] || []).forEach((w) => w.reject(new Error("cannot load data/page-" + n + ".js")));
        delete state.waiting[n];
      };
      script.onerror = broken;
      script.onload = () => state.pages[n] || broken(); // ran without delivering its page
      document.head.appendChild(script);
    });
  }

  for (const a of document.querySelectorAll("nav a")) {
    if (a.dataset.view === document.body.dataset.view) a.setAttribute("aria-current", "page");
  }

  // ---- overview ------------------------------------------------------------------------------

  function overview(data) {
    const root = main();
    const counts = data.counts;
    document.getElementById("title").textContent = data.set.name;
    root.appendChild(el("h1", { text: data.set.name }));
    root.appendChild(el("p", { class: "lead" }, [
      counts.items + " items, " + counts.distractors + " distractors",
      counts.without_distractors ? " (" + counts.without_distractors + " items without any)" : "",
      "; " + data.pages + " pages of " + data.per_page + ". Images: " + data.images + ". ",
      link("Browse the items", {}),
    ]));

    const levels = unique(counts.engine_level.map((r) => levelName(r[1]))).sort(byLevel);
    const engines = unique(counts.engine_level.map((r) => r[0])).sort();
    const cell = {};
    for (const [engine, level, n] of counts.engine_level) cell[engine + "\u0000" + levelName(level)] = n;
    const rows = engines.map((engine) => {
      const cells = levels.map((lv) => {
        const n = cell[engine + "\u0000" + lv];
        return n ? link(String(n), { engine: engine, level: lv }) : "";
      });
      const total = levels.reduce((s, lv) => s + (cell[engine + "\u0000" + lv] || 0), 0);
      return [link(engine, { engine: engine }), ...cells, String(total)];
    });
    const totals = levels.map((lv) => engines.reduce((s, e) => s + (cell[e + "\u0000" + lv] || 0), 0));
    rows.push(["all", ...totals.map((n, k) => link(String(n), { level: levels[k] })), String(counts.distractors)]);
    root.appendChild(el("h2", { text: "Distractors per engine and level" }));
    root.appendChild(table(["engine", ...levels.map((lv) => "level " + lv), "all"], rows, "counts"));
    root.appendChild(el("h3", { text: "Per operator" }));
    root.appendChild(table(["engine.op", "distractors"], counts.engine_op.map(([e, op, n]) => [link(e + "." + op, { op: e + "." + op }), String(n)]), "counts"));

    data.reports.forEach((report, k) => {
      root.appendChild(el("h2", { text: "Probe run " + (k + 1) + ": " + report.path }));
      root.appendChild(table(
        ["scorer", "items", "accuracy [95% CI]", "chance", "pairwise", ""],
        report.scorers.map((s) => [s.scorer, num(s.n), num(s.accuracy) + " [" + num(s.lo) + ", " + num(s.hi) + "]", num(s.chance), num(s.pairwise_accuracy),
          link("items it got wrong", { outcome: "wrong:" + s.scorer })]),
        "report"));
      if (report.figure) root.appendChild(el("figure", {}, [el("img", { src: report.figure, alt: "accuracy against difficulty level: " + report.path, class: "sweep" })]));
    });

    if (data.audit) {
      const a = data.audit;
      root.appendChild(el("h2", { text: "Audit: " + a.path }));
      root.appendChild(el("p", { text: a.records + " records, " + a.pairs + " pairs, " + a.flagged + " of " + a.groups.length + " groups flagged." }));
      root.appendChild(table(
        ["engine", "level", "pairs", ...a.scorers.map((s) => s + " %"), "verdict", "why"],
        a.groups.map((g) => [g.engine, levelName(g.level), String(g.pairs),
          ...a.scorers.map((s) => (g.blind[s] === null || g.blind[s] === undefined ? "–" : (100 * g.blind[s]).toFixed(1))),
          el("td", { class: g.flagged ? "bad" : "good", text: g.flagged ? "flagged" : "ok" }), g.reasons.join("; ")]),
        "audit"));
    }

    root.appendChild(el("h2", { text: "Manifest of the set" }));
    const m = data.manifest;
    if (!m) {
      root.appendChild(el("p", { text: "No manifest beside " + data.set.path + "." }));
    } else {
      const input = m.input || {};
      root.appendChild(table(null, [
        ["set", data.set.path + " (SHA-256 " + data.set.sha256 + ")"],
        ["made by", "negatives " + ((m.package || {}).version || "?") + " " + (m.command || "")],
        ["input", (input.path || "–") + (input.sha256 ? " (SHA-256 " + input.sha256 + ")" : "")],
        ["seed", shown(m.seed)],
        ["models", Object.entries(m.models || {}).map(([k, v]) => k + ": " + shown(v)).join("; ") || "–"],
        ["counts", Object.entries(m.counts || {}).map(([k, v]) => k + " " + shown(v)).join(", ")],
      ], "manifest"));
      root.appendChild(el("details", {}, [el("summary", { text: "the whole manifest" }), pre(m)]));
    }
    document.body.dataset.rendered = String(++state.rendered);
  }

  // ---- items ---------------------------------------------------------------------------------

  function readState() {
    const p = new URLSearchParams(location.hash.slice(1));
    const page = parseInt(p.get("page") || "1", 10);
    return { engine: p.get("engine") || "", op: p.get("op") || "", level: p.get("level") || "", outcome: p.get("outcome") || "", page: page > 0 ? page : 1 };
  }

  function writeState(s) {
    const p = new URLSearchParams();
    for (const key of ["engine", "op", "level", "outcome"]) if (s[key]) p.set(key, s[key]);
    if (s.page > 1) p.set("page", String(s.page));
    const hash = "#" + p.toString();
    if (location.hash === hash || (hash === "#" && !location.hash)) render();
    else location.hash = hash;
  }

  // A group of distractors (those the filters keep) is right for a scorer when none of them fooled it
  // (scored at or above the positive), as the report counts item accuracy per level, engine or op.
  function outcomeTest(outcome, scorers) {
    if (!outcome) return () => true;
    const cut = outcome.indexOf(":"), kind = outcome.slice(0, cut), names = outcome.slice(cut + 1).split("\u0000");
    const ks = names.map((name) => scorers.indexOf(name));
    if (ks.some((k) => k < 0)) return () => false;
    const wrong = (fooled, group) => group.some((d) => fooled[d] === "1");
    return (fooled, group) => {
      if (!group.length || ks.some((k) => !fooled[k])) return false; // nothing scored here
      if (kind === "wrong") return wrong(fooled[ks[0]], group);
      if (kind === "right") return !wrong(fooled[ks[0]], group);
      return kind === "disagree" && wrong(fooled[ks[0]], group) !== wrong(fooled[ks[1]], group);
    };
  }

  function tripleTest(s) {
    return (t) => (!s.engine || t[0] === s.engine) && (!s.op || t[0] + "." + t[1] === s.op) && (!s.level || levelName(t[2]) === s.level);
  }

  function matching(index, s) {
    const ok = index.triples.map(tripleTest(s));
    const byDistractor = Boolean(s.engine || s.op || s.level);
    const outcomeOk = outcomeTest(s.outcome, index.scorers);
    const hits = [];
    for (let i = 0; i < index.items.length; i++) {
      const group = [];
      index.items[i].forEach((t, d) => ok[t] && group.push(d));
      if (byDistractor && !group.length) continue;
      if (outcomeOk(index.fooled[i], group)) hits.push(i);
    }
    return { hits: hits, ok: ok, byDistractor: byDistractor };
  }

  function control(name, label, options) {
    const box = el("select", { name: name, id: "filter-" + name }, options.map(([value, text]) => el("option", { value: value, text: text })));
    box.addEventListener("change", () => {
      const s = readState();
      s[name] = box.value;
      s.page = 1;
      writeState(s);
    });
    return el("label", {}, [label + " ", box]);
  }

  function items(index) {
    state.index = index;
    document.getElementById("title").textContent = index.name;
    const root = main();
    const t = index.triples;
    const options = [["", "all"]];
    const outcomes = [["", "all items"]];
    index.scorers.forEach((s) => {
      outcomes.push(["wrong:" + s, "wrong: " + s]);
      outcomes.push(["right:" + s, "right: " + s]);
    });
    index.scorers.forEach((a, i) => index.scorers.slice(i + 1).forEach((b) => outcomes.push(["disagree:" + a + "\u0000" + b, "disagree: " + a + " vs " + b])));
    const filters = el("form", { class: "filters", id: "filters" }, [
      control("engine", "engine", options.concat(unique(t.map((x) => x[0])).sort().map((e) => [e, e]))),
      control("op", "op", options.concat(unique(t.map((x) => x[0] + "." + x[1])).sort().map((o) => [o, o]))),
      control("level", "level", options.concat(unique(t.map((x) => levelName(x[2]))).sort(byLevel).map((lv) => [lv, lv]))),
      index.scorers.length ? control("outcome", "outcome", outcomes) : null,
      index.scorers.length ? el("span", { class: "hint", text: "outcome is judged on the distractors the other filters keep: wrong when one of them scored at or above the positive" }) : null,
    ]);
    filters.addEventListener("submit", (e) => e.preventDefault());
    root.appendChild(filters);
    root.appendChild(el("div", { id: "summary", class: "summary" }));
    root.appendChild(el("div", { id: "items" }));
    root.appendChild(el("div", { id: "pager", class: "summary" }));
    window.addEventListener("hashchange", render);
    render();
  }

  function pager(page, pages) {
    const go = (p) => () => {
      const s = readState();
      s.page = p;
      writeState(s);
      window.scrollTo(0, 0);
    };
    const button = (text, p, disabled) => {
      const b = el("button", { type: "button", text: text });
      b.disabled = disabled;
      b.addEventListener("click", go(p));
      return b;
    };
    const input = el("input", { type: "number", min: 1, max: pages, value: page, "aria-label": "page" });
    input.addEventListener("change", () => go(Math.min(pages, Math.max(1, parseInt(input.value, 10) || 1)))());
    return [button("‹ previous", page - 1, page <= 1), " page ", input, " of " + pages + " ", button("next ›", page + 1, page >= pages)];
  }

  function render() {
    const index = state.index;
    const s = readState();
    for (const key of ["engine", "op", "level", "outcome"]) {
      const box = document.getElementById("filter-" + key);
      if (box) box.value = s[key];
    }
    const { hits, ok, byDistractor } = matching(index, s);
    const per = index.per_page;
    const pages = Math.max(1, Math.ceil(hits.length / per));
    const page = Math.min(s.page, pages);
    const chosen = hits.slice((page - 1) * per, page * per);
    const ticket = ++state.rendered;
    const summary = document.getElementById("summary");
    summary.replaceChildren(hits.length + " of " + index.items.length + " items" + (hits.length === index.items.length ? "" : " match") + " · ", ...pager(page, pages));
    document.getElementById("pager").replaceChildren(...pager(page, pages));
    Promise.all(unique(chosen.map((i) => Math.floor(i / per) + 1)).map(loadPage)).then(
      () => {
        if (ticket !== state.rendered) return; // a newer render started meanwhile
        document.getElementById("items").replaceChildren(...chosen.map((i) => itemCard(state.pages[Math.floor(i / per) + 1][i % per], index.items[i].map((t) => !byDistractor || ok[t]), index.scorers)));
        document.body.dataset.rendered = String(ticket);
      },
      (error) => fail(error.message),
    );
  }

  // ---- one item ------------------------------------------------------------------------------

  function image(view, cls) {
    if (!view.src) return el("div", { class: "noimage " + cls, text: view.name });
    return el("figure", { class: cls }, [el("img", { src: view.src, alt: view.name, loading: "lazy" }), el("figcaption", { text: view.name })]);
  }

  function edited(text, edit) {
    if (!edit) return [text];
    const chars = Array.from(text); // edit spans count code points, as Python does
    const start = edit.span[0], length = Array.from(edit.new).length;
    if (chars.slice(start, start + length).join("") !== edit.new) return [text];
    return [chars.slice(0, start).join(""), el("mark", { class: "new", text: edit.new }), chars.slice(start + length).join("")];
  }

  function scoreChips(item, k) {
    // k: 0 for the positive, 1 + i for distractor i
    if (!item.scores) return null;
    return el("span", { class: "scores" }, Object.entries(item.scores).map(([scorer, scores]) => {
      const fooled = k > 0 && scores[k] !== null && scores[0] !== null && scores[k] >= scores[0];
      const verdict = k === 0 ? (item.correct[scorer] ? " ✓" : " ✗") : "";
      const cls = k === 0 ? (item.correct[scorer] ? "score good" : "score bad") : fooled ? "score bad" : "score";
      return el("span", { class: cls, title: k === 0 ? scorer + ": score of the positive; ✓ when it beat every distractor of the item" : fooled ? scorer + " scored this at or above the positive" : scorer }, [scorer + " " + num(scores[k]) + verdict]);
    }));
  }

  function distractorRow(item, d, i) {
    const body = d.image ? image(d.image, "candidate") : el("div", { class: "text" }, edited(d.text, d.edit));
    const facts = [
      el("span", { class: "chip engine", text: d.engine + "." + d.op }),
      el("span", { class: "fact", text: "difficulty " + num(d.difficulty) }),
    ];
    if (d.edit) {
      const extra = Object.entries(d.edit).filter(([k]) => !["span", "old", "new"].includes(k));
      facts.push(el("span", { class: "fact edit" }, [el("del", { text: d.edit.old || "∅" }), " → ", el("ins", { text: d.edit.new || "∅" }),
        ...extra.map(([k, v]) => " " + k + " " + shown(v))]));
    }
    const checks = Object.entries(d.checks || {}).map(([k, v]) => el("span", { class: v === true ? "chip ok" : v === false ? "chip fail" : "chip", title: "check " + k, text: v === true || v === false ? k : k + " " + shown(v) }));
    const signals = Object.entries(d.signals || {}).map(([k, v]) => el("span", { class: "signal", text: k + " " + shown(v) }));
    const meta = Object.entries(d.meta || {}).map(([k, v]) => el("span", { class: "signal", text: k + " " + shown(v) }));
    return el("div", { class: "distractor", "data-engine": d.engine, "data-op": d.op, "data-level": levelName(d.level) }, [
      body,
      el("div", { class: "facts" }, [...facts, scoreChips(item, i + 1)]),
      checks.length ? el("div", { class: "checks" }, checks) : null,
      signals.length || meta.length ? el("div", { class: "signals" }, [...signals, ...meta]) : null,
    ]);
  }

  function itemCard(item, visible, scorers) {
    const anchor = item.anchor.image ? image(item.anchor.image, "anchor") : item.anchor.text ? el("blockquote", { class: "anchor context", text: item.anchor.text }) : el("div", { class: "anchor noimage", text: "no anchor" });
    const positive = item.positive.image ? image(item.positive.image, "candidate") : el("span", { class: "text", text: item.positive.text });
    const groups = {};
    item.distractors.forEach((d, i) => {
      if (visible[i]) (groups[levelName(d.level)] = groups[levelName(d.level)] || []).push(i);
    });
    const sections = Object.keys(groups).sort(byLevel).map((lv) =>
      el("section", { class: "level", "data-level": lv }, [el("h4", { text: "level " + lv + " · " + groups[lv].length }), ...groups[lv].map((i) => distractorRow(item, item.distractors[i], i))]));
    const hidden = item.distractors.length - visible.filter(Boolean).length;
    const meta = Object.keys(item.meta || {}).length ? el("details", { class: "meta" }, [el("summary", { text: "meta" }), pre(item.meta)]) : null;
    const siblings = item.siblings && item.siblings.length ? el("details", { class: "siblings" }, [el("summary", { text: item.siblings.length + " other captions of this item (never used as negatives)" }), el("ul", {}, item.siblings.map((s) => el("li", { text: s })))]) : null;
    return el("article", { class: "item", "data-id": item.id }, [
      el("div", { class: "left" }, [anchor]),
      el("div", { class: "right" }, [
        el("div", { class: "head" }, [el("span", { class: "id", text: item.id }), el("span", { class: "task", text: item.task }), el("span", { class: "count", text: item.distractors.length + " distractors" })]),
        el("div", { class: "positive" }, [el("span", { class: "chip positive-tag", text: "positive" }), positive, scoreChips(item, 0)]),
        siblings,
        ...sections,
        hidden ? el("p", { class: "hidden-note", text: hidden + " distractors hidden by the filters" }) : null,
        meta,
      ]),
    ]);
  }
})();
