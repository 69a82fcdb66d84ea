/* A deal page's citation: today's date as the date of access, and a button that copies the
 * citation. Without JavaScript the citation is still there to select, with "[date]" to fill in. */
(function () {
  "use strict";
  var citation = document.querySelector("[data-cite]");
  var accessed = document.querySelector("[data-cite-accessed]");
  var button = document.querySelector("[data-cite-copy]");
  if (!citation || !accessed) return;
  var today = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  accessed.textContent = today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate());
  if (!button || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var text = citation.textContent.replace(/\s+/g, " ").trim();
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy the citation"; }, 2000);
    });
  });
})();
