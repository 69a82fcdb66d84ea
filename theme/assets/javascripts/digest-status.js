/* `make serve` only (digestgen adds this script to the preview, never to a build): when the data is
 * broken, show its problems on top of the page, which keeps the last good version. Each rebuild of
 * the preview writes digestgen-status.json at the site's root; the problems are shown as text. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = script.src.replace(/assets\/javascripts\/digest-status\.js(\?.*)?$/, "");
  fetch(root + "digestgen-status.json", { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (status) {
      var stale = Boolean(status && status.problems.length);
      // says the check is done (the preview's tests wait for it): "stale" or "current"
      document.documentElement.setAttribute("data-digest-status", stale ? "stale" : "current");
      if (!stale) return;
      var box = document.createElement("div");
      box.className = "digest-stale";
      box.setAttribute("role", "alert");
      var head = document.createElement("p");
      var count = status.problems.length;
      head.textContent = "The data has " + count + " problem" + (count === 1 ? "" : "s") +
        ": this preview shows the last good version until they are fixed.";
      box.appendChild(head);
      var list = document.createElement("ul");
      status.problems.forEach(function (problem) {
        var item = document.createElement("li");
        item.textContent = problem;
        list.appendChild(item);
      });
      box.appendChild(list);
      document.body.insertBefore(box, document.body.firstChild);
    })
    .catch(function () {});
})();
