// Static search: loads the prebuilt index once and filters it as you type.
// Every query word must appear in a post's title or in the names of its entities.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var base = form.dataset.base;
  var KINDS = { countries: "Country", organisations: "Organisation", people: "Person" };
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var LIMIT = 50;
  var index = null;

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

  function prepare(data) {
    data.entities.forEach(function (e) { e.folded = fold(e[1]); });
    data.posts.forEach(function (p) {
      p.folded = fold([p[0]].concat(p[3].map(function (i) { return data.entities[i][1]; })).join(" "));
    });
    return data;
  }

  function render() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    results.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    var has = function (item) { return words.every(function (w) { return item.folded.indexOf(w) !== -1; }); };
    var entities = index.entities.filter(has).sort(function (a, b) { return b[3] - a[3]; }).slice(0, 10);
    var posts = index.posts.filter(has);
    status.textContent = posts.length + (posts.length === 1 ? " report" : " reports") + " found" +
      (posts.length > LIMIT ? ", showing the latest " + LIMIT : "") + ".";
    if (entities.length) {
      results.appendChild(el("h2", {}, "Pages"));
      var list = results.appendChild(el("ul", { "class": "chips" }));
      entities.forEach(function (e) {
        var a = list.appendChild(el("li")).appendChild(el("a", { "class": "chip", href: base + e[2] }, e[1]));
        a.appendChild(el("span", { "class": "n" }, KINDS[e[0]] + ", " + e[3] + (e[3] === 1 ? " report" : " reports")));
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

  fetch(form.dataset.index)
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (data) {
      index = prepare(data);
      input.value = new URLSearchParams(location.search).get("q") || input.value;
      input.addEventListener("input", render);
      render();
    })
    .catch(function () { status.textContent = "The search index could not be loaded."; });
  form.addEventListener("submit", function (event) { event.preventDefault(); if (index) render(); });
})();
