// WHM API 1 documentation: theme choice, copy buttons, the side navigation
// and search.
// Loaded in <head> without defer so the stored theme applies before the
// first paint; everything that touches the page waits for DOMContentLoaded,
// by which time the deferred assets/nav.js has defined window.WHM_NAV.
(function () {
  "use strict";

  var html = document.documentElement;
  var root = html.getAttribute("data-root") || "";
  var page = html.getAttribute("data-page") || "";
  var THEME_KEY = "whm-docs-theme";
  // Styles that only make sense with this script (the phone menu) key on it.
  html.classList.add("js");

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

  // ---- navigation ----------------------------------------------------------

  // How many of its category's functions the navigation lists around the
  // current one. The largest category of WHM's own navigation (Server
  // Administration, 60 functions) fits whole; a larger one shows this many
  // neighbours and links to its category page for the rest.
  var NAV_WINDOW = 60;

  function nav() { return window.WHM_NAV || null; }

  // The file stem of a name, as the compiler writes it (page_stem in
  // codegen/src/emit/docs/mod.rs): ASCII letters, digits, "_" and "-" kept,
  // any other character "_".
  function stem(name) {
    var out = Array.from(name).map(function (c) { return /^[A-Za-z0-9_-]$/.test(c) ? c : "_"; }).join("");
    return out || "_";
  }

  function functionHref(name) { return "functions/" + stem(name) + ".html"; }

  // The page of a category that lists a name: the category's own, or, for a
  // category split by first letter, that letter's (part_key in
  // codegen/src/emit/docs/mod.rs).
  function partKey(name) {
    var c = name.charAt(0);
    return /^[A-Za-z0-9]$/.test(c) ? c.toLowerCase() : "other";
  }
  function listingHref(cat, name) {
    return cat.p ? cat.h.replace(/\.html$/, "--" + partKey(name) + ".html") : cat.h;
  }

  function link(href, text, current) {
    var a = document.createElement("a");
    a.href = root + href;
    a.textContent = text;
    if (current) a.setAttribute("aria-current", "page");
    return a;
  }

  function item(className, child) {
    var li = document.createElement("li");
    if (className) li.className = className;
    li.appendChild(child);
    return li;
  }

  // The part of a category of `len` functions listed around the one at `at`.
  function navWindow(len, at) {
    if (len <= NAV_WINDOW) return [0, len];
    var start = Math.min(Math.max(at - NAV_WINDOW / 2, 0), len - NAV_WINDOW);
    return [start, start + NAV_WINDOW];
  }

  // Draws the categories: every one with its count, and the current
  // function's open, listing its neighbours with the page marked.
  function drawNavigation() {
    var data = nav();
    var list = document.getElementById("nav-categories");
    if (!data || !list) return;
    list.textContent = "";
    data.c.forEach(function (cat) {
      var at = -1;
      for (var i = 0; i < cat.f.length; i++) {
        if (functionHref(cat.f[i]) === page) { at = i; break; }
      }
      var li = document.createElement("li");
      li.className = "nav-category" + (at >= 0 ? " open" : "");
      var title = link(cat.h, cat.t + " ", cat.h === page);
      var count = document.createElement("span");
      count.className = "count";
      count.textContent = cat.c > 0 ? cat.f.length + " of " + cat.c : String(cat.f.length);
      title.appendChild(count);
      li.appendChild(title);
      if (at >= 0) {
        var ul = document.createElement("ul");
        var range = navWindow(cat.f.length, at);
        if (range[0] > 0) {
          ul.appendChild(item("more", link(listingHref(cat, cat.f[range[0] - 1]) + "#fn-" + stem(cat.f[range[0] - 1]), range[0] + " earlier")));
        }
        for (var j = range[0]; j < range[1]; j++) {
          ul.appendChild(item("", link(functionHref(cat.f[j]), cat.f[j], j === at)));
        }
        if (range[1] < cat.f.length) {
          ul.appendChild(item("more", link(listingHref(cat, cat.f[range[1]]) + "#fn-" + stem(cat.f[range[1]]), (cat.f.length - range[1]) + " more")));
        }
        if (cat.m.length > 0) {
          ul.appendChild(item("missing", link(cat.h + "#not-yet-specified", cat.m.length + " not yet specified")));
        }
        li.appendChild(ul);
      }
      list.appendChild(li);
    });
    var coverage = document.getElementById("nav-coverage");
    if (coverage) coverage.textContent = "Coverage: " + data.s + " of " + data.n + " functions";
  }

  // On a narrow screen the navigation is a panel that the Menu button opens.
  function setUpMenu() {
    var button = document.getElementById("nav-toggle");
    var panel = document.getElementById("side-nav");
    if (!button || !panel) return;
    button.hidden = false;
    function isOpen() { return html.classList.contains("nav-open"); }
    function set(open) {
      html.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "Close menu" : "Menu";
    }
    button.addEventListener("click", function () {
      var open = !isOpen();
      set(open);
      if (open) {
        var target = panel.querySelector("a[aria-current=page]") || panel.querySelector("a");
        if (target) target.focus();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && isOpen()) { set(false); button.focus(); }
    });
    document.addEventListener("click", function (e) {
      if (isOpen() && !panel.contains(e.target) && !button.contains(e.target)) set(false);
    });
  }

  // ---- search -------------------------------------------------------------

  // Search runs on two parts: the names in nav.js, which every page has
  // loaded (every guide, specified function and catalogued name, so the
  // first results come at once), and the summaries and parameter names in
  // search-index.js, loaded when the search box is first used.
  var details = null; // name -> [summary, [parameters]], once loaded
  var detailsState = "none"; // none | loading | ready
  var detailsWaiters = [];

  function withDetails(callback) {
    if (window.WHM_SEARCH_INDEX) { details = window.WHM_SEARCH_INDEX; callback(); return; }
    detailsWaiters.push(callback);
    if (detailsState !== "none") return;
    detailsState = "loading";
    var script = document.createElement("script");
    script.src = root + "assets/search-index.js";
    script.onload = function () {
      detailsState = "ready";
      details = window.WHM_SEARCH_INDEX || {};
      detailsWaiters.splice(0).forEach(function (w) { w(); });
    };
    script.onerror = function () { detailsState = "none"; };
    document.head.appendChild(script);
  }

  // Every searchable name: {n: name, u: page, c: category, k: kind, s, p}.
  // kind is "guide", "function" or "todo" (catalogued, not yet specified:
  // its page is its category's, at its entry in the not-yet list).
  var entriesCache = null;
  var entriesWithDetails = false;
  function entries() {
    if (entriesCache && entriesWithDetails === !!details) return entriesCache;
    var list = [];
    var data = nav();
    if (data) {
      (data.g || []).forEach(function (g) { list.push({ n: g[0], u: g[1], c: "Guide", k: "guide" }); });
      data.c.forEach(function (cat) {
        cat.f.forEach(function (name) {
          var d = details && details[name];
          list.push({ n: name, u: functionHref(name), c: cat.t, k: "function", s: d ? d[0] : "", p: d ? d[1] : [] });
        });
        var unsure = {};
        (cat.u || []).forEach(function (name) { unsure[name] = true; });
        cat.m.forEach(function (name) {
          list.push({ n: name, u: listingHref(cat, name) + "#todo-" + stem(name), c: cat.t, k: "todo", unsure: unsure[name] === true });
        });
      });
    } else if (details) {
      Object.keys(details).forEach(function (name) {
        list.push({ n: name, u: functionHref(name), c: "", k: "function", s: details[name][0], p: details[name][1] });
      });
    }
    entriesCache = list;
    entriesWithDetails = !!details;
    return list;
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
      var text = (entry.n + " " + (entry.s || "") + " " + entry.c + " " + params.join(" ")).toLowerCase();
      var all = words.length > 0 && words.every(function (w) { return text.indexOf(w) >= 0; });
      if (all) { best = 10; why = ""; }
    }
    return { score: best, why: why };
  }

  var KIND_ORDER = { "function": 0, guide: 1, todo: 2 };

  function search(raw) {
    var query = raw.trim().toLowerCase();
    if (!query) return [];
    var words = query.split(/\s+/);
    var hits = [];
    entries().forEach(function (entry) {
      var s = score(entry, query, words);
      if (s.score > 0) hits.push({ entry: entry, score: s.score, why: s.why });
    });
    // Best score first; at a tie, specified functions before guides and
    // catalogued names, then by name.
    hits.sort(function (a, b) {
      return b.score - a.score || KIND_ORDER[a.entry.k] - KIND_ORDER[b.entry.k] ||
        (a.entry.n < b.entry.n ? -1 : a.entry.n > b.entry.n ? 1 : 0);
    });
    return hits;
  }

  // Builds a result link with text nodes only: index text is never parsed as HTML.
  function resultLink(hit) {
    var a = document.createElement("a");
    a.href = root + hit.entry.u;
    if (hit.entry.k === "todo") a.className = "todo";
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = hit.entry.n;
    a.appendChild(name);
    var detail = document.createElement("span");
    detail.className = "why";
    var parts = [];
    if (hit.why) parts.push("matches " + hit.why);
    if (hit.entry.k === "todo") parts.push(hit.entry.unsure ? "not yet specified (unsure name)" : "not yet specified");
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

    function show() {
      var q = input.value;
      if (!q.trim()) { list.textContent = ""; close(); return; }
      var hits = search(q).slice(0, 12);
      list.textContent = "";
      hits.forEach(function (hit) {
        var li = document.createElement("li");
        li.appendChild(resultLink(hit));
        list.appendChild(li);
      });
      if (hits.length === 0) {
        var li = document.createElement("li");
        li.className = "why";
        li.textContent = details ? "Nothing matches." : "No name matches; searching summaries\u2026";
        list.appendChild(li);
      }
      list.hidden = false;
      if (status) status.textContent = hits.length + (hits.length === 1 ? " result" : " results");
    }

    function update() {
      show();
      var q = input.value;
      if (!details) withDetails(function () { if (input.value === q) show(); });
    }

    input.addEventListener("focus", function () { withDetails(function () {}); });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var first = links()[0];
        if (first) { e.preventDefault(); first.focus(); }
      } else if (e.key === "Escape") {
        close();
      } else if (e.key === "Enter") {
        // Enter opens the best match; with none, the form opens the results page.
        var top = search(input.value)[0];
        if (top) { e.preventDefault(); window.location.href = root + top.entry.u; }
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
    withDetails(function () {
      var hits = search(q);
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
    drawNavigation();
    setUpMenu();
    setUpCopyButtons();
    setUpSearchBox();
    setUpSearchPage();
  });
})();
