// The search page. With a Pagefind index (the form's data-pagefind, see
// plugins/bulletin/fulltext.py) it searches the words of every report, narrowed by
// country, organisation or person and ordered by match or date; the query lives in
// the page's URL (/search/?q=water&country=kazakhstan). Without one, or if it cannot
// load, it falls back to the prebuilt title-and-entity index (search.json).
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var base = form.dataset.base;
  var KINDS = { countries: "Country", organisations: "Organisation", people: "Person" };
  var FILTER_LABELS = { country: "Country", organisation: "Organisation", person: "Person" };
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var LIMIT = 50;
  var PAGE = 20;  // full-text results shown at a time

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function longDate(iso) {  // "2024-06-01" -> "1 June 2024", as on the other pages
    var p = iso.split("-");
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // ---- Full text (Pagefind) ----

  function fullText(pagefind) {
    var params = new URLSearchParams(location.search);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var active = form.querySelector(".active-filters");
    var extra = {};  // organisation and person filters, from the URL or a result
    var shown = 0, found = [], run = 0;
    var names = {};  // the name of a filter's entity, once a result shows it

    input.value = params.get("q") || "";
    selects.forEach(function (s) {
      var v = params.get(s.name) || "";
      if (Array.prototype.some.call(s.options, function (o) { return o.value === v; })) s.value = v;
    });
    ["organisation", "person"].forEach(function (k) { if (params.get(k)) extra[k] = params.get(k); });

    function query() {
      var filters = {};
      var country = form.elements.country.value;
      if (country) filters.country = country;
      Object.keys(extra).forEach(function (k) { filters[k] = extra[k]; });
      return { q: input.value.trim(), filters: filters, sort: form.elements.sort.value };
    }

    function remember(q) {  // the page's URL is the query: linkable, and Back works
      var p = new URLSearchParams();
      if (q.q) p.set("q", q.q);
      Object.keys(q.filters).forEach(function (k) { p.set(k, q.filters[k]); });
      if (q.sort) p.set("sort", q.sort);
      var url = location.pathname + (p.toString() ? "?" + p : "");
      if (url !== location.pathname + location.search) history.replaceState(null, "", url);
    }

    function showActive() {
      active.textContent = "";
      Object.keys(extra).forEach(function (k) {
        var li = active.appendChild(el("li"));
        li.appendChild(document.createTextNode(FILTER_LABELS[k] + ": " + (names[k] || extra[k]) + " "));
        var button = li.appendChild(el("button", { type: "button" }, "Remove"));
        button.appendChild(el("span", { "class": "vh" }, " the " + FILTER_LABELS[k].toLowerCase() + " filter"));
        button.addEventListener("click", function () { delete extra[k]; search(); input.focus(); });
      });
    }

    var decoder = document.createElement("textarea");

    function excerpt(html, content) {
      // Pagefind's excerpt is text with <mark> around the words found: keep the marks,
      // and put everything else in as text, never as markup.
      var p = el("p", { "class": "lead" });
      html.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
        if (part === "<mark>") return true;
        if (part === "</mark>") return false;
        decoder.innerHTML = part;  // a <textarea>: entities decoded, no tags made
        var text = decoder.value;
        if (text) p.appendChild(marked ? el("mark", {}, text) : document.createTextNode(text));
        return marked;
      }, false);
      // "…" where the excerpt cuts the text
      var words = p.textContent.trim(), text = (content || "").trim();
      if (words && text) {
        if (text.indexOf(words.slice(0, 30)) > 0) p.insertBefore(document.createTextNode("…"), p.firstChild);
        if (text.slice(-30) !== words.slice(-30)) p.appendChild(document.createTextNode("…"));
      }
      return p;
    }

    function card(data) {
      var item = el("article", { "class": "summary" });
      var h = item.appendChild(el("h3"));
      h.appendChild(el("a", { href: base + data.url.replace(/^\//, "") }, data.meta.title));
      var date = data.meta.date || "";
      item.appendChild(el("p", { "class": "meta" })).appendChild(el("time", { datetime: date }, date && longDate(date)));
      if (data.excerpt) item.appendChild(excerpt(data.excerpt, data.content));
      var entities = [];
      try { entities = JSON.parse(data.meta.entities || "[]"); } catch (e) { entities = []; }
      if (entities.length) {
        var ul = item.appendChild(el("ul", { "class": "chips", "aria-label": "Tagged with" }));
        entities.forEach(function (e) {
          if (extra[e[0]] === e[2].replace(/\/$/, "").split("/").pop()) names[e[0]] = e[1];
          ul.appendChild(el("li")).appendChild(el("a", { "class": "chip", href: base + e[2] }, e[1]));
        });
      }
      return item;
    }

    function more() {
      var list = results.querySelector(".results");
      var button = results.querySelector("button.more");
      var batch = found.slice(shown, shown + PAGE);
      shown += batch.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
        items.forEach(function (data) { list.appendChild(el("li")).appendChild(card(data)); });
        if (button) button.hidden = shown >= found.length;
      });
    }

    function search() {
      var q = query(), mine = ++run;
      remember(q);
      showActive();
      results.textContent = "";
      if (!q.q) {
        // A filter alone would fetch the whole word index: send readers to the
        // entity's own page, which lists its reports, instead.
        status.textContent = "";
        var country = form.elements.country;
        var option = country.options[country.selectedIndex];
        if (option && option.value && option.dataset.url) {
          var p = results.appendChild(el("p", {}, "Type words to search the reports about " + option.text + ", or see them all on "));
          p.appendChild(el("a", { href: base + option.dataset.url }, "the page of " + option.text));
          p.appendChild(document.createTextNode("."));
        }
        return;
      }
      var options = { filters: q.filters };
      if (q.sort === "date") options.sort = { date: "desc" };
      pagefind.search(q.q, options).then(function (search) {
        if (mine !== run) return;  // a later query has started
        found = search.results;
        shown = 0;
        function say() {
          var where = Object.keys(q.filters).map(function (k) {
            var s = form.elements[k];
            return s && s.selectedIndex > 0 ? s.options[s.selectedIndex].text : names[k] || q.filters[k];
          });
          status.textContent = plural(found.length, "report") + " found" +
            " for “" + q.q + "”" + (where.length ? " in " + where.join(", ") : "") +
            (q.sort === "date" ? ", newest first." : ".");
        }
        if (!found.length) { say(); return; }
        results.appendChild(el("h2", { "class": "vh" }, "Reports"));
        results.appendChild(el("ol", { "class": "results" }));
        var button = results.appendChild(el("button", { type: "button", "class": "more" }, "More reports"));
        button.addEventListener("click", more);
        return more().then(function () { say(); showActive(); });
      });
    }

    var timer;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
    selects.forEach(function (s) { s.addEventListener("change", search); });
    form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
    search();
  }

  // ---- Titles and entities (search.json) ----

  function prepare(data) {
    data.entities.forEach(function (e) { e.folded = fold(e[1]); });
    data.posts.forEach(function (p) {
      p.folded = fold([p[0]].concat(p[3].map(function (i) { return data.entities[i][1]; })).join(" "));
    });
    return data;
  }

  function titles() {
    var index = null;

    function render() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      results.textContent = "";
      if (!words.length) { status.textContent = ""; return; }
      var has = function (item) { return words.every(function (w) { return item.folded.indexOf(w) !== -1; }); };
      var entities = index.entities.filter(has).sort(function (a, b) { return b[3] - a[3]; }).slice(0, 10);
      var posts = index.posts.filter(has);
      status.textContent = plural(posts.length, "report") + " found" +
        (posts.length > LIMIT ? ", showing the latest " + LIMIT : "") + ".";
      if (entities.length) {
        results.appendChild(el("h2", {}, "Pages"));
        var list = results.appendChild(el("ul", { "class": "chips" }));
        entities.forEach(function (e) {
          var a = list.appendChild(el("li")).appendChild(el("a", { "class": "chip", href: base + e[2] }, e[1]));
          a.appendChild(el("span", { "class": "n" }, KINDS[e[0]] + ", " + plural(e[3], "report")));
        });
      }
      if (posts.length) {
        results.appendChild(el("h2", {}, "Reports"));
        var ul = results.appendChild(el("ul", { "class": "post-list" }));
        posts.slice(0, LIMIT).forEach(function (p) {
          var li = ul.appendChild(el("li"));
          li.appendChild(el("time", { datetime: p[1] }, longDate(p[1])));
          li.appendChild(document.createTextNode(" "));
          li.appendChild(el("a", { href: base + p[2] }, p[0]));
        });
      }
    }

    form.querySelector("label[for=q]").textContent = "Words of a title, or a country, organisation or person";
    var filters = form.querySelector(".filters");
    if (filters) filters.hidden = true;
    fetch(form.dataset.index)
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        index = prepare(data);
        input.value = new URLSearchParams(location.search).get("q") || input.value;
        input.addEventListener("input", render);
        form.addEventListener("submit", function (event) { event.preventDefault(); render(); });
        render();
      })
      .catch(function () { status.textContent = "The search index could not be loaded."; });
  }

  if (!form.dataset.pagefind) { titles(); return; }
  import(form.dataset.pagefind)
    .then(function (pagefind) {
      return pagefind.options({ baseUrl: "/", excerptLength: 24 }).then(function () { return pagefind.init(); })
        .then(function () { fullText(pagefind); });
    })
    .catch(function () { titles(); });
})();
