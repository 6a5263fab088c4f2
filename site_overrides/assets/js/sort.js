/* Sortable tables (pages with `table[data-sortable]`): a button in each <th data-sort>, announced
 * through aria-sort.
 *
 * Written by hand because Material's documented sortable tables load tablesort from a CDN, which
 * this site must not do. Without JavaScript every table is still complete.
 *
 * A table tells the page's other scripts when it has sorted ("survey:sorted"), and is sorted again
 * by its current column when they have replaced its rows ("survey:rows-replaced"): filters.js
 * listens for the one and sends the other, and neither script needs the other's functions.
 */
(function () {
  "use strict";

  function makeSortable(table) {
    var headers = table.querySelectorAll("th[data-sort]");
    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "survey-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortRows(table, column, th.dataset.sort === "number", ascending);
        table.dispatchEvent(new CustomEvent("survey:sorted"));
      });
    });
    table.addEventListener("survey:rows-replaced", function () {
      var sorted = table.querySelector("th[aria-sort]");
      if (sorted) {
        sortRows(table, Array.prototype.indexOf.call(headers, sorted), sorted.dataset.sort === "number",
                 sorted.getAttribute("aria-sort") === "ascending");
      }
    });
  }

  /* A number cell's data-value; an empty one (a size or score nobody stated) is null, and sorts last
     whichever way the column is sorted. */
  function cellValue(row, column, numeric) {
    var cell = row.cells[column];
    var raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    return raw === "" || isNaN(parseFloat(raw)) ? null : parseFloat(raw);
  }

  function sortRows(table, column, numeric, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, column, numeric), y = cellValue(b, column, numeric);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
})();
