/* Sortable tables and the filterable /browse/ table.
 *
 * Written by hand because Material has no table filtering, and its documented sortable tables
 * load tablesort from a CDN, which this site must not do. Without JavaScript every table is still
 * complete; the filter controls stay hidden (`.no-js`, see main.html).
 */
(function () {
  "use strict";

  /* Sorting: a button in each <th data-sort>, announced through aria-sort. */
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
      });
    });
  }

  function cellValue(row, column, numeric) {
    var cell = row.cells[column];
    var raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
    return numeric ? parseFloat(raw) || 0 : raw.toLowerCase();
  }

  function sortRows(table, column, numeric, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, column, numeric), y = cellValue(b, column, numeric);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  /* Filtering: state lives in the URL query so a view can be shared and survives a reload. */
  var FACETS = ["domain", "modality", "task", "technique"];

  function readState() {
    var query = new URLSearchParams(window.location.search);
    var state = { q: query.get("q") || "", section: query.get("section") || "", size: query.get("size") || "",
                  from: query.get("from") || "", to: query.get("to") || "" };
    FACETS.forEach(function (f) { state[f] = (query.get(f) || "").split(",").filter(Boolean); });
    return state;
  }

  function writeState(state) {
    var query = new URLSearchParams();
    ["q", "section", "size", "from", "to"].forEach(function (k) { if (state[k]) query.set(k, state[k]); });
    FACETS.forEach(function (f) { if (state[f].length) query.set(f, state[f].join(",")); });
    var search = query.toString();
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  function matches(row, state) {
    var year = parseInt(row.dataset.year, 10);
    if (state.from && year < parseInt(state.from, 10)) return false;
    if (state.to && year > parseInt(state.to, 10)) return false;
    if (state.section && row.dataset.section.split(" ").indexOf(state.section) < 0) return false;
    if (state.size && row.dataset.size !== state.size) return false;
    for (var i = 0; i < FACETS.length; i++) {
      var wanted = state[FACETS[i]];
      if (!wanted.length) continue;
      var has = (row.dataset[FACETS[i]] || "").split(" ");
      if (!wanted.some(function (v) { return has.indexOf(v) >= 0; })) return false;
    }
    return !state.q || row.textContent.toLowerCase().indexOf(state.q.toLowerCase()) >= 0;
  }

  function setUpBrowse(table, panel) {
    var controls = {
      q: panel.querySelector("#f-text"), section: panel.querySelector("#f-section"),
      size: panel.querySelector("#f-size"), from: panel.querySelector("#f-from"), to: panel.querySelector("#f-to")
    };
    var chips = panel.querySelectorAll(".survey-chip");
    var count = panel.querySelector("#f-count");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var state = readState();

    function show() {
      Object.keys(controls).forEach(function (k) { controls[k].value = state[k]; });
      chips.forEach(function (chip) {
        var on = state[chip.dataset.facet].indexOf(chip.dataset.value) >= 0;
        chip.setAttribute("aria-pressed", on ? "true" : "false");
      });
      var shown = 0;
      rows.forEach(function (row) {
        var visible = matches(row, state);
        row.hidden = !visible;
        shown += visible ? 1 : 0;
      });
      count.textContent = shown === rows.length ? rows.length + " works" : shown + " of " + rows.length + " works";
    }

    function update() { writeState(state); show(); }

    Object.keys(controls).forEach(function (k) {
      controls[k].addEventListener("input", function () { state[k] = controls[k].value.trim(); update(); });
    });
    chips.forEach(function (chip) {
      chip.addEventListener("click", function () {
        var list = state[chip.dataset.facet], at = list.indexOf(chip.dataset.value);
        if (at >= 0) list.splice(at, 1); else list.push(chip.dataset.value);
        update();
      });
    });
    panel.querySelector("#f-reset").addEventListener("click", function () {
      state = { q: "", section: "", size: "", from: "", to: "" };
      FACETS.forEach(function (f) { state[f] = []; });
      update();
    });
    panel.querySelector("#f-bib").addEventListener("click", function () {
      var keys = rows.filter(function (r) { return !r.hidden; }).map(function (r) { return r.dataset.key; });
      downloadBibtex(new URL("../bib/all.bib", window.location.href).href, keys);
    });
    show();
  }

  /* The records of all.bib for the given keys, in the order shown, as a file download. */
  function downloadBibtex(url, keys) {
    fetch(url).then(function (response) { return response.text(); }).then(function (text) {
      var records = {};
      text.split(/\n(?=@)/).forEach(function (record) {
        var key = /^@\w+\{([^,\s]+),/.exec(record.trim());
        if (key) records[key[1]] = record.trim() + "\n";
      });
      var body = keys.filter(function (k) { return records[k]; }).map(function (k) { return records[k]; }).join("\n");
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([body], { type: "application/x-bibtex" }));
      link.download = "slm-healthcare-selection.bib";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  var browse = document.getElementById("survey-browse");
  var panel = document.getElementById("survey-filters");
  if (browse && panel) setUpBrowse(browse, panel);
})();
