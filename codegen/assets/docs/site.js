// WHM API 1 documentation: theme choice, copy buttons and search.
// Loaded in <head> without defer so the stored theme applies before the
// first paint; everything that touches the page waits for DOMContentLoaded.
(function () {
  "use strict";

  var html = document.documentElement;
  var root = html.getAttribute("data-root") || "";
  var THEME_KEY = "whm-docs-theme";

  function storedTheme() {
    try {
      var t = window.localStorage.getItem(THEME_KEY);
      return t === "light" || t === "dark" ? t : null;
    } catch (e) {
      return null; // storage may be disabled; fall back to the system's choice
    }
  }

  var initial = storedTheme();
  if (initial) html.setAttribute("data-theme", initial);

  function activeTheme() {
    var t = html.getAttribute("data-theme");
    if (t) return t;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function setUpThemeToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    function label() {
      var dark = activeTheme() === "dark";
      button.textContent = dark ? "Light theme" : "Dark theme";
      button.setAttribute("aria-pressed", dark ? "true" : "false");
    }
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      var next = activeTheme() === "dark" ? "light" : "dark";
      html.setAttribute("data-theme", next);
      try { window.localStorage.setItem(THEME_KEY, next); } catch (e) { /* not kept: fine */ }
      label();
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Pages opened from disk or plain HTTP: the older selection-based copy.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function setUpCopyButtons() {
    var blocks = document.querySelectorAll("pre.copyable, .guide pre");
    Array.prototype.forEach.call(blocks, function (pre) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy to clipboard");
      button.addEventListener("click", function () {
        var code = pre.querySelector("code");
        copyText((code || pre).textContent).then(function () {
          button.textContent = "Copied";
        }, function () {
          button.textContent = "Copy failed";
        });
        window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
      });
      pre.appendChild(button);
    });
  }

  // ---- search -------------------------------------------------------------

  var indexState = "none"; // none | loading | ready
  var indexWaiters = [];

  function withIndex(callback) {
    if (window.WHM_SEARCH_INDEX) { callback(window.WHM_SEARCH_INDEX); return; }
    indexWaiters.push(callback);
    if (indexState !== "none") return;
    indexState = "loading";
    var script = document.createElement("script");
    script.src = root + "assets/search-index.js";
    script.onload = function () {
      indexState = "ready";
      var index = window.WHM_SEARCH_INDEX || [];
      indexWaiters.splice(0).forEach(function (w) { w(index); });
    };
    script.onerror = function () { indexState = "none"; };
    document.head.appendChild(script);
  }

  // Scores one entry: exact name first, then name prefix, name part,
  // parameter name, and words of the summary. 0 means no match.
  function score(entry, query, words) {
    var name = entry.n.toLowerCase();
    var best = 0;
    var why = "";
    if (name === query) { best = 100; }
    else if (name.indexOf(query) === 0) { best = 80; }
    else if (name.indexOf(query) >= 0) { best = 60; }
    var params = entry.p || [];
    for (var i = 0; i < params.length; i++) {
      var p = params[i].toLowerCase();
      var s = p === query ? 50 : (p.indexOf(query) >= 0 ? 30 : 0);
      if (s > best) { best = s; why = "parameter " + params[i]; }
    }
    if (best === 0) {
      var text = (entry.n + " " + entry.s + " " + entry.c + " " + params.join(" ")).toLowerCase();
      var all = words.length > 0 && words.every(function (w) { return text.indexOf(w) >= 0; });
      if (all) { best = 10; why = ""; }
    }
    return { score: best, why: why };
  }

  function search(index, raw) {
    var query = raw.trim().toLowerCase();
    if (!query) return [];
    var words = query.split(/\s+/);
    var hits = [];
    index.forEach(function (entry) {
      var s = score(entry, query, words);
      if (s.score > 0) hits.push({ entry: entry, score: s.score, why: s.why });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || (a.entry.n < b.entry.n ? -1 : a.entry.n > b.entry.n ? 1 : 0);
    });
    return hits;
  }

  // Builds a result link with text nodes only: index text is never parsed as HTML.
  function resultLink(hit) {
    var a = document.createElement("a");
    a.href = root + hit.entry.u;
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = hit.entry.n;
    a.appendChild(name);
    var detail = document.createElement("span");
    detail.className = "why";
    var parts = [];
    if (hit.why) parts.push("matches " + hit.why);
    if (hit.entry.s) parts.push(hit.entry.s);
    if (hit.entry.c) parts.push(hit.entry.c);
    detail.textContent = parts.join(" · ");
    a.appendChild(detail);
    return a;
  }

  function setUpSearchBox() {
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!input || !list) return;

    function close() { list.hidden = true; }
    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    function update() {
      var q = input.value;
      if (!q.trim()) { list.textContent = ""; close(); return; }
      withIndex(function (index) {
        if (input.value !== q) return; // a newer query is on its way
        var hits = search(index, q).slice(0, 12);
        list.textContent = "";
        hits.forEach(function (hit) {
          var li = document.createElement("li");
          li.appendChild(resultLink(hit));
          list.appendChild(li);
        });
        if (hits.length === 0) {
          var li = document.createElement("li");
          li.className = "why";
          li.textContent = "No function matches.";
          list.appendChild(li);
        }
        list.hidden = false;
        if (status) status.textContent = hits.length + (hits.length === 1 ? " result" : " results");
      });
    }

    input.addEventListener("focus", function () { withIndex(function () {}); });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var first = links()[0];
        if (first) { e.preventDefault(); first.focus(); }
      } else if (e.key === "Escape") {
        close();
      }
    });
    list.addEventListener("keydown", function (e) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && at >= 0 && at < all.length - 1) { e.preventDefault(); all[at + 1].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); if (at > 0) { all[at - 1].focus(); } else { input.focus(); } }
      else if (e.key === "Escape") { close(); input.focus(); }
    });
    document.addEventListener("click", function (e) {
      if (!list.contains(e.target) && e.target !== input) close();
    });
    // "/" focuses the search box, unless the reader is typing somewhere.
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
      if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        input.focus();
      }
    });
    if (input.value) update();
  }

  function setUpSearchPage() {
    var input = document.getElementById("search-page-input");
    var list = document.getElementById("search-page-results");
    var status = document.getElementById("search-page-status");
    if (!input || !list) return;
    var q = new URLSearchParams(window.location.search).get("q") || "";
    input.value = q;
    if (!q.trim()) { status.textContent = "Type a function name, words of its summary or a parameter name."; return; }
    withIndex(function (index) {
      var hits = search(index, q);
      list.textContent = "";
      hits.forEach(function (hit) {
        var li = document.createElement("li");
        li.appendChild(resultLink(hit));
        list.appendChild(li);
      });
      status.textContent = hits.length === 0
        ? "Nothing matches \u201c" + q + "\u201d."
        : hits.length + (hits.length === 1 ? " result" : " results") + " for \u201c" + q + "\u201d.";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpThemeToggle();
    setUpCopyButtons();
    setUpSearchBox();
    setUpSearchPage();
  });
})();
