/* The terms page's table: a click on a column's heading sorts by it, a second click reverses it.
 * Amounts sort within their currency (never converted), the currency most deals use first, and
 * empty cells last. The order stays in the
 * address (?sort=upfront, ?sort=-date), so a sorted view can be shared. Without JavaScript the
 * table is as built: newest first. */
(function () {
  "use strict";
  var table = document.querySelector("[data-terms-table] table");
  if (!table) return;
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var MONEY = { upfront: true, milestones: true, total: true };
  // the columns, as the page writes them: Announced, Deal, Type, Molecules, Upfront, Milestones, Total
  ["date", "title", "type", null, "upfront", "milestones", "total"].forEach(function (column, i) {
    if (column && heads[i]) heads[i].setAttribute("data-sort", column);
  });
  heads[0].setAttribute("aria-sort", "descending"); // as built: newest first
  // an amount reads "USD 33,000,000": its currency, and its number
  Array.prototype.forEach.call(body.rows, function (row) {
    [4, 5, 6].forEach(function (i) {
      var cell = row.cells[i];
      var m = cell && cell.textContent.trim().match(/^([A-Z]{3}) ([0-9,.]+)$/);
      if (m) {
        cell.setAttribute("data-currency", m[1]);
        cell.setAttribute("data-value", m[2].replace(/,/g, ""));
      }
    });
    [0, 1, 2].forEach(function (i) { row.cells[i].setAttribute("data-value", row.cells[i].textContent.trim()); });
  });

  // each currency's rank: the one most deals state first (US dollars, today), then A to Z
  var used = {};
  Array.prototype.forEach.call(body.querySelectorAll("td[data-currency]"), function (td) {
    var c = td.getAttribute("data-currency");
    used[c] = (used[c] || 0) + 1;
  });
  var rank = {};
  Object.keys(used).sort(function (a, b) { return used[b] - used[a] || (a < b ? -1 : 1); })
    .forEach(function (c, i) { rank[c] = i; });

  function key(row, index, column) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-value");
    if (value === null || value === "") return null;
    if (MONEY[column]) return [rank[cell.getAttribute("data-currency")], parseFloat(value)];
    return [value.toLowerCase()];
  }

  function compare(a, b, descending) {
    if (a === null) return b === null ? 0 : 1; // empty cells last, whatever the direction
    if (b === null) return -1;
    if (a.length === 2 && a[0] !== b[0]) return a[0] - b[0]; // by currency, whatever the direction
    var x = a[a.length - 1], y = b[b.length - 1];
    var order = x < y ? -1 : x > y ? 1 : 0;
    return descending ? -order : order;
  }

  function sort(column, descending) {
    var index = heads.findIndex(function (th) { return th.getAttribute("data-sort") === column; });
    if (index < 0) return false;
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, key: key(row, index, column), i: i };
    });
    rows.sort(function (a, b) { return compare(a.key, b.key, descending) || a.i - b.i; });
    rows.forEach(function (r) { body.appendChild(r.row); });
    heads.forEach(function (th) { th.removeAttribute("aria-sort"); });
    heads[index].setAttribute("aria-sort", descending ? "descending" : "ascending");
    return true;
  }

  heads.forEach(function (th) {
    var column = th.getAttribute("data-sort");
    if (!column) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "digest-sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      // amounts and dates start with the largest and newest; text from A
      var first = MONEY[column] || column === "date";
      var descending = th.getAttribute("aria-sort") ? th.getAttribute("aria-sort") === "ascending" : first;
      sort(column, descending);
      var url = new URL(window.location.href);
      url.searchParams.set("sort", (descending ? "-" : "") + column);
      history.replaceState(null, "", url);
    });
  });

  var asked = new URL(window.location.href).searchParams.get("sort");
  if (asked) {
    var column = asked.replace(/^-/, "");
    // "?sort=upfront": amounts largest first, as a click gives; "-" and "+" say the direction
    var descending = asked.charAt(0) === "-" || (asked.charAt(0) !== "+" && (MONEY[column] || column === "date"));
    sort(column, descending);
  }
})();
