// The report's behaviour: filters (kept in the address's #fragment, so a
// filtered view can be shared), pages of results, and nothing else. Every
// text from the log goes into the page as text (textContent), never as
// HTML; links are made only of http(s) URLs.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var PAGE = 100;
  var form = document.getElementById("filters");
  var list = document.getElementById("results");
  var status = document.getElementById("status");
  var fields = ["level", "tool", "rule", "file", "baseline", "q", "suppressed", "page"];
  data.results.forEach(function (r) { r.text = r.m.map(function (p) { return p[0]; }).join(""); });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function safeURL(u) {
    return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null;
  }

  function readState() {
    var s = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      if (!kv) return;
      var i = kv.indexOf("=");
      var k, v;
      try {
        k = decodeURIComponent(i < 0 ? kv : kv.slice(0, i));
        v = i < 0 ? "" : decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " "));
      } catch (e) {
        return; // a malformed part of the address: ignored
      }
      if (fields.indexOf(k) >= 0) s[k] = v;
    });
    return s;
  }
  function writeState(s) {
    var parts = [];
    fields.forEach(function (k) {
      if (s[k]) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(s[k]));
    });
    var h = parts.length ? "#" + parts.join("&") : "";
    if (h !== location.hash && !(h === "" && location.hash === "#")) {
      history.replaceState(null, "", h || location.pathname + location.search);
    }
  }

  // The choices of each filter, with how many results have them.
  function fill(name, values, label) {
    var sel = form.elements[name];
    var counts = {};
    data.results.forEach(function (r) {
      var v = values(r);
      if (v !== null && v !== undefined) counts[v] = (counts[v] || 0) + 1;
    });
    var keys = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : a > b ? 1 : 0); });
    keys.forEach(function (k) {
      var o = el("option", null, (label ? label(k) : k) + " (" + counts[k] + ")");
      o.value = k;
      sel.appendChild(o);
    });
  }
  var order = { error: 0, warning: 1, note: 2, none: 3 };
  fill("level", function (r) { return r.l; });
  Array.prototype.slice.call(form.elements.level.options, 1).sort(function (a, b) { return order[a.value] - order[b.value]; })
    .forEach(function (o) { form.elements.level.appendChild(o); });
  fill("tool", function (r) { return data.tools[r.t]; });
  fill("rule", function (r) { return r.rid; });
  fill("file", function (r) { return r.f >= 0 ? data.files[r.f] : null; });
  fill("baseline", function (r) { return r.b || null; });
  if (!data.results.some(function (r) { return r.b; })) form.elements.baseline.parentNode.hidden = true;
  if (!data.results.some(function (r) { return r.s; })) form.elements.suppressed.parentNode.hidden = true;

  function matches(r, s) {
    if (s.level && r.l !== s.level) return false;
    if (s.tool && data.tools[r.t] !== s.tool) return false;
    if (s.rule && r.rid !== s.rule) return false;
    if (s.file && (r.f < 0 || data.files[r.f] !== s.file)) return false;
    if (s.baseline && r.b !== s.baseline) return false;
    if (!s.suppressed && r.s) return false;
    if (s.q) {
      var hay = (r.text + " " + r.rid + " " + (r.f >= 0 ? data.files[r.f] : "")).toLowerCase();
      if (hay.indexOf(s.q.toLowerCase()) < 0) return false;
    }
    return true;
  }

  function message(r) {
    var p = el("p", "msg");
    r.m.forEach(function (part) {
      // part: [text] or [text, target, related location or ""]
      if (part.length === 1) { p.appendChild(document.createTextNode(part[0])); return; }
      var url = safeURL(part[1]);
      if (part[2]) {
        var span = el("span", "rel", part[0]);
        span.title = part[2];
        p.appendChild(span);
        p.appendChild(el("span", "rel-loc", " (" + part[2] + ")"));
      } else if (url) {
        var a = el("a", null, part[0]);
        a.href = url; a.rel = "noopener noreferrer";
        p.appendChild(a);
      } else {
        p.appendChild(document.createTextNode(part[0]));
      }
    });
    return p;
  }

  function card(r) {
    var li = el("li", "result " + r.l + (r.s ? " suppressed" : ""));
    var head = el("div", "head");
    head.appendChild(el("span", "badge " + r.l, r.l));
    if (r.b) head.appendChild(el("span", "badge " + r.b, r.b));
    if (r.s) head.appendChild(el("span", "badge suppressed", "suppressed"));
    head.appendChild(el("span", "rule", r.rid || "(no rule)"));
    head.appendChild(el("span", "tool", data.tools[r.t]));
    if (r.sev) head.appendChild(el("span", "tool", "severity " + r.sev));
    var alert = safeURL(r.u);
    if (alert) {
      var a = el("a", "tool", "alert" + (r.n ? " #" + r.n : ""));
      a.href = alert; a.rel = "noopener noreferrer";
      head.appendChild(a);
    }
    li.appendChild(head);
    li.appendChild(el("div", "loc", r.loc || "(no location)"));
    li.appendChild(message(r));
    if (r.j) li.appendChild(el("div", "just", "Suppressed: " + r.j));
    var rule = r.r >= 0 ? data.rules[r.r] : null;
    if (rule && (rule.help || rule.short || safeURL(rule.helpUri))) {
      var d = el("details", "help");
      d.appendChild(el("summary", null, "About " + (rule.name || rule.id)));
      var box = el("div", null, rule.help || rule.short || "");
      var help = safeURL(rule.helpUri);
      if (help) {
        box.appendChild(document.createTextNode("\n"));
        var h = el("a", null, help);
        h.href = help; h.rel = "noopener noreferrer";
        box.appendChild(h);
      }
      d.appendChild(box);
      li.appendChild(d);
    }
    if (r.src) {
      var pre = el("pre", "src");
      r.src[1].forEach(function (line, i) {
        var n = r.src[0] + i;
        var s = el("span", n === r.ln ? "hit" : null);
        s.appendChild(el("i", null, n));
        s.appendChild(document.createTextNode(line));
        pre.appendChild(s);
      });
      li.appendChild(pre);
    }
    return li;
  }

  function render() {
    var s = readState();
    fields.forEach(function (k) {
      var f = form.elements[k];
      if (!f || k === "page") return;
      if (f.type === "checkbox") f.checked = !!s[k]; else f.value = s[k] || "";
    });
    var shown = [];
    for (var i = 0; i < data.results.length; i++) if (matches(data.results[i], s)) shown.push(data.results[i]);
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    var page = Math.min(pages, Math.max(1, parseInt(s.page, 10) || 1));
    var from = (page - 1) * PAGE;
    var frag = document.createDocumentFragment();
    shown.slice(from, from + PAGE).forEach(function (r) { frag.appendChild(card(r)); });
    list.textContent = "";
    list.appendChild(frag);
    if (!shown.length) list.appendChild(el("li", "empty", "No result matches these filters."));
    status.dataset.matching = shown.length;
    status.dataset.page = page;
    document.getElementById("shown").textContent = shown.length
      ? "Showing " + (from + 1) + "–" + Math.min(from + PAGE, shown.length) + " of " + shown.length + " matching results (" + data.results.length + " in all)"
      : "0 of " + data.results.length + " results match";
    document.getElementById("prev").disabled = page <= 1;
    document.getElementById("next").disabled = page >= pages;
    document.getElementById("pageno").textContent = "page " + page + " of " + pages;
  }

  function update(change) {
    var s = readState();
    Object.keys(change).forEach(function (k) { s[k] = change[k]; });
    writeState(s);
    render();
  }
  form.addEventListener("change", function (e) {
    var f = e.target;
    var c = { page: "" };
    c[f.name] = f.type === "checkbox" ? (f.checked ? "1" : "") : f.value;
    update(c);
  });
  form.elements.q.addEventListener("input", function () { update({ q: form.elements.q.value, page: "" }); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.getElementById("prev").addEventListener("click", function () { update({ page: String((parseInt(status.dataset.page, 10) || 1) - 1) }); window.scrollTo(0, 0); });
  document.getElementById("next").addEventListener("click", function () { update({ page: String((parseInt(status.dataset.page, 10) || 1) + 1) }); window.scrollTo(0, 0); });
  window.addEventListener("hashchange", render);
  render();
  document.body.dataset.ready = "1";
  document.body.dataset.readyMs = String(Math.round(performance.now()));
})();
