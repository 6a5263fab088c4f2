/* A results table filtered by setting (the pages of a benchmark variant): the select names the row
 * attribute it filters on (data-filter-rows="setting" shows the rows whose data-setting is the
 * chosen value).
 */
(function () {
  "use strict";

  function setUpRowFilter(select) {
    var table = document.getElementById(select.getAttribute("aria-controls"));
    var attribute = "data-" + select.dataset.filterRows;
    var count = document.getElementById(select.dataset.count);
    select.addEventListener("change", function () {
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var hidden = select.value !== "" && row.getAttribute(attribute) !== select.value;
        row.hidden = hidden;
        if (!hidden) shown += 1;
      });
      if (count) count.textContent = shown + " of " + table.tBodies[0].rows.length + " numbers shown";
    });
    select.closest(".survey-row-filter").hidden = false;
  }

  document.querySelectorAll("select[data-filter-rows]").forEach(setUpRowFilter);
})();
