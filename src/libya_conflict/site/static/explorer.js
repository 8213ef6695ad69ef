// Filters the table of happenings on the home page. The page reads in full without this script; the
// filters live in the address (after #), so that a view can be shared. Nothing is fetched.
(function () {
  "use strict";
  // Keep in step with LETTERS and MARKS in site/search.py.
  var FOLD = { "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627", "\u0649": "\u064a",
               "\u0626": "\u064a", "\u0624": "\u0648", "\u0629": "\u0647" };
  var MARKS = /[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
  function fold(text) {
    text = text.replace(MARKS, "");
    var out = "";
    for (var i = 0; i < text.length; i++) { var ch = text.charAt(i); out += FOLD.hasOwnProperty(ch) ? FOLD[ch] : ch; }
    return out.replace(/\s+/g, " ").trim().toLowerCase();
  }
  window.libyaConflictFold = fold;
  var form = document.getElementById("filters");
  var table = document.getElementById("table");
  if (!form || !table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var shown = document.getElementById("shown");
  var names = ["type", "side", "from", "to", "place", "article", "q"];
  form.hidden = false;

  function values() {
    var v = {};
    names.forEach(function (n) { v[n] = form.elements[n].value.trim(); });
    return v;
  }
  function matches(row, v, words) {
    var d = row.dataset;
    if (v.type && d.types.split("|").indexOf(v.type) < 0) { return false; }
    if (v.side && d.sides.split(" ").indexOf(v.side) < 0) { return false; }
    if (v.from && d.last < v.from) { return false; }   // ISO dates compare as text
    if (v.to && d.first > v.to) { return false; }
    if (v.place && d.places.split(" ").indexOf(v.place) < 0) { return false; }
    if (v.article && d.articles.split(" ").indexOf(v.article) < 0) { return false; }
    for (var i = 0; i < words.length; i++) { if (d.search.indexOf(words[i]) < 0) { return false; } }
    return true;
  }
  function apply(write) {
    var v = values();
    var words = fold(v.q).split(" ").filter(Boolean);
    var n = 0;
    rows.forEach(function (row) { var ok = matches(row, v, words); row.hidden = !ok; if (ok) { n++; } });
    shown.textContent = n === rows.length ? rows.length + " happenings." : n + " of " + rows.length + " happenings shown.";
    if (write) {
      var params = new URLSearchParams();
      names.forEach(function (k) { if (v[k]) { params.set(k, v[k]); } });
      var hash = params.toString();
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    }
  }
  function read() {
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") < 0) { return; }   // a plain anchor such as #happenings
    var params = new URLSearchParams(hash);
    names.forEach(function (k) { if (params.has(k)) { form.elements[k].value = params.get(k); } });
  }
  read();
  apply(false);
  form.addEventListener("input", function () { apply(true); });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  window.addEventListener("hashchange", function () { read(); apply(false); });
})();
