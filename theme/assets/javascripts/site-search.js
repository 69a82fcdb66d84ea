/* Site search: Material's search box, answered by Pagefind's static index.
 *
 * The index lives in pagefind/ at the site's root. Pagefind's script is loaded the
 * first time the reader opens the search box, and it fetches only the index chunks
 * and result fragments a query needs. Paths are worked out from the page's own
 * address, so the site works under any sub-path, in `mkdocs serve` and offline.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-site-search]");
  if (!root) return;
  var toggle = document.getElementById("__search");
  var input = root.querySelector(".md-search__input");
  var form = root.querySelector(".md-search__form");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var siteRoot = new URL((root.getAttribute("data-base") || ".") + "/", document.baseURI);
  var placeholder = meta.textContent;
  var MAX_RESULTS = 10;
  var CANDIDATES = 20; // results fetched, so that a page named by the query can move up

  // Letters and digits only, so "ABP501", "abp 501" and "ABP-501" compare equal.
  function key(text) {
    return (text || "").toLowerCase().replace(/[^a-z0-9]+/g, "");
  }

  // A page whose title is the query comes first, then a page that names it among its names
  // (aliases, brands, codes: the `names` meta of entity pages); otherwise Pagefind's order.
  function namesFirst(results, query) {
    var wanted = key(query);
    function tier(result) {
      var meta = result.meta || {};
      if (key(meta.title) === wanted) return 0;
      var names = (meta.names || "").split(/[:,.()]/).map(key);
      return names.indexOf(wanted) >= 0 ? 1 : 2;
    }
    return results.map(function (r, i) { return { r: r, i: i, t: tier(r) }; })
      .sort(function (a, b) { return a.t - b.t || a.i - b.i; })
      .map(function (x) { return x.r; });
  }
  var engine = null;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", siteRoot).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 24 }).then(function () {
          pagefind.init();
          return pagefind;
        });
      });
      engine.catch(function () {
        engine = null;
        meta.textContent = "Search is not available: its index did not load.";
      });
    }
    return engine;
  }
  window.digestPagefind = load; // shared with the deals index's filters (deal-filter.js)

  function show(count, query) {
    if (!query) meta.textContent = placeholder;
    else if (count === 0) meta.textContent = "No matching pages";
    else meta.textContent = count === 1 ? "1 matching page" : count + " matching pages";
  }

  function item(result) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = result.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h1");
    title.textContent = (result.meta && result.meta.title) || result.url;
    var excerpt = document.createElement("p");
    excerpt.innerHTML = result.excerpt; // Pagefind escapes the page text and adds only <mark>
    article.appendChild(title);
    article.appendChild(excerpt);
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function search() {
    var query = input.value.trim();
    if (!query) {
      list.replaceChildren();
      show(0, "");
      return;
    }
    load().then(function (pagefind) {
      return pagefind.debouncedSearch(query, {}, 80);
    }).then(function (found) {
      if (found === null || input.value.trim() !== query) return null; // a newer query is on its way
      return Promise.all(found.results.slice(0, CANDIDATES).map(function (r) { return r.data(); }))
        .then(function (results) {
          if (input.value.trim() !== query) return;
          results = namesFirst(results, query).slice(0, MAX_RESULTS);
          list.replaceChildren.apply(list, results.map(item));
          show(found.results.length, query);
          root.setAttribute("data-search-state", "done");
        });
    });
  }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    input.focus();
  }

  input.addEventListener("focus", function () {
    if (!toggle.checked) toggle.checked = true; // opens the results panel, as Material's own search does
    load();
  });
  input.addEventListener("input", function () {
    root.setAttribute("data-search-state", "busy");
    search();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  form.addEventListener("reset", function () {
    setTimeout(search, 0);
    input.focus();
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked) setTimeout(function () { input.focus(); }, 50);
    else input.blur();
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(input|textarea|select)$/i.test(event.target.tagName) || event.target.isContentEditable;
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      input.blur();
    } else if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")
               && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      open();
    }
  });
})();
