/* The deals index's filters: year, type, territory, company, molecule, status (active or ended) and
 * whether terms were disclosed, and a sort.
 *
 * Answered in the browser by Pagefind's filter index (each deal page declares its
 * values; see deal.md.j2), which fetches only the parts it needs, so it stays small
 * at 10,000 deals. The options, with their counts, are written into the page at build
 * time. The choice lives in the address (?territory=Japan&sort=title), so a filtered
 * view can be shared. Without JavaScript the form stays hidden and the page is the
 * plain listing it was built with.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-deal-filter]");
  if (!form || !window.digestPagefind) return;
  var results = document.querySelector("[data-deal-results]");
  var listing = document.querySelector("[data-deal-listing]");
  var status = results.querySelector(".deal-filter__status");
  var rows = results.querySelector("tbody");
  var more = results.querySelector("[data-deal-more]");
  var FACETS = ["year", "type", "territory", "company", "molecule", "status", "terms"];
  var SORTS = { newest: { date: "desc" }, oldest: { date: "asc" }, title: { title: "asc" } };
  var PAGE = 50; // rows shown at a time; each row fetches one small fragment of the index
  // Pagefind answers a search with no words by loading its whole word index (5 MB at 10,000
  // deals), so the filter searches for a word every deal page shows ("Announced: ..."), which
  // costs one small chunk; the sort then puts the rows in order.
  var EVERY_DEAL = "announced";
  var matches = [];
  var current = 0; // the newest request; answers to older ones are dropped

  function select(name) { return form.elements.namedItem(name); }

  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    FACETS.concat(["sort"]).forEach(function (name) {
      var value = params.get(name);
      var box = select(name);
      if (value !== null && Array.prototype.some.call(box.options, function (o) { return o.value === value; })) {
        box.value = value;
      }
    });
  }

  function toAddress() {
    var params = new URLSearchParams();
    FACETS.forEach(function (facet) { if (select(facet).value) params.set(facet, select(facet).value); });
    if (select("sort").value !== "newest") params.set("sort", select("sort").value);
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text || "";
    return td;
  }

  function row(data) {
    var meta = data.meta || {};
    var tr = document.createElement("tr");
    var title = document.createElement("td");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = meta.title || data.url;
    title.appendChild(link);
    tr.appendChild(cell(meta.announced));
    tr.appendChild(title);
    tr.appendChild(cell(meta.type));
    tr.appendChild(cell(meta.territories));
    return tr;
  }

  function report() {
    var n = matches.length;
    status.textContent = (n === 0 ? "No deal matches these filters." : n === 1 ? "1 deal matches." : n + " deals match.")
      + (rows.children.length < n ? " Showing the first " + rows.children.length + "." : "");
    more.hidden = rows.children.length >= n;
    form.setAttribute("data-filter-state", "done");
  }

  function showMore(request) {
    var next = matches.slice(rows.children.length, rows.children.length + PAGE);
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (found) {
      if (request !== current) return;
      found.forEach(function (data) { rows.appendChild(row(data)); });
      report();
    });
  }

  function run() {
    var request = ++current;
    var filters = { kind: "deal" };
    var active = select("sort").value !== "newest";
    FACETS.forEach(function (facet) {
      if (select(facet).value) { filters[facet] = select(facet).value; active = true; }
    });
    toAddress();
    form.setAttribute("data-filter-state", "busy");
    if (!active) { // the page as built: nothing to fetch
      results.hidden = true;
      listing.hidden = false;
      form.setAttribute("data-filter-state", "done");
      return;
    }
    window.digestPagefind().then(function (pagefind) {
      return pagefind.search(EVERY_DEAL, { filters: filters, sort: SORTS[select("sort").value] });
    }).then(function (found) {
      if (request !== current) return;
      matches = found.results;
      rows.replaceChildren();
      listing.hidden = true;
      results.hidden = false;
      return showMore(request);
    }).catch(unavailable);
  }

  function unavailable() {
    form.hidden = true;
    results.hidden = true;
    listing.hidden = false;
  }

  // The options and their counts are in the page as built; the script only shows the form.
  fromAddress();
  form.hidden = false;
  form.addEventListener("change", run);
  // Pagefind starts loading when the reader first reaches for a filter, not on every visit.
  form.addEventListener("focusin", function () { window.digestPagefind(); }, { once: true });
  form.addEventListener("reset", function () { setTimeout(run, 0); });
  more.addEventListener("click", function () {
    form.setAttribute("data-filter-state", "busy");
    showMore(current);
  });
  run();
})();
