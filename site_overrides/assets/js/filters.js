/* The filterable tables (/browse/, /models/, /datasets/) and their row downloads.
 *
 * Written by hand because Material has no table filtering. Without JavaScript every table is still
 * complete; the filter controls stay hidden (`.no-js`, see main.html). Sorting is sort.js's: a table
 * says when it has sorted ("survey:sorted"), and is sorted again when its rows are replaced
 * ("survey:rows-replaced").
 *
 * State lives in the URL query so a view can be shared and survives a reload. The page names every
 * filter: a control's data-filter is its key in the query and the row attribute it compares
 * (data-section, data-licence ...: space-separated values, written by tablefilters.py), except the
 * text box (q) and the years (from, to); each facet's chips carry data-facet, the taxonomy's id,
 * which is also the row's attribute. Nothing here knows the taxonomy or what a row is.
 */
(function () {
  "use strict";

  var SHOWN_AT_ONCE = 200;  /* and survey.css, which hides the rest until this script runs */
  var OWN_RULES = ["q", "from", "to"];

  function has(row, name, value) {
    return (row.getAttribute("data-" + name) || "").split(" ").indexOf(value) >= 0;
  }

  /* The kinds of value a filter's state holds: a control's key one text, a facet's a list of values.
   * The state's keys are described once (keysOf), and clearing, reading and writing the query,
   * counting what is set and matching a row all walk that description. */
  var ONE = {
    parse: function (text) { return text || ""; },
    format: function (value) { return value; },
    count: function (value) { return value ? 1 : 0; },
    admits: function (row, name, value) { return !value || has(row, name, value); }
  };
  var MANY = {
    parse: function (text) { return (text || "").split(",").filter(Boolean); },
    format: function (values) { return values.join(","); },
    count: function (values) { return values.length; },
    admits: function (row, name, values) {
      return !values.length || values.some(function (v) { return has(row, name, v); });
    }
  };

  function keysOf(panel) {
    var keys = [], named = {};
    function add(name, kind) {
      if (!named[name]) { named[name] = true; keys.push({ name: name, kind: kind }); }
    }
    panel.querySelectorAll("[data-filter]").forEach(function (c) { add(c.dataset.filter, ONE); });
    panel.querySelectorAll(".survey-chip").forEach(function (chip) { add(chip.dataset.facet, MANY); });
    return keys;
  }

  /* The state a query says (an empty query: nothing set). */
  function stateOf(keys, query) {
    var state = {};
    keys.forEach(function (k) { state[k.name] = k.kind.parse(query.get(k.name)); });
    return state;
  }

  function writeState(keys, state) {
    var query = new URLSearchParams();
    keys.forEach(function (k) {
      var text = k.kind.format(state[k.name]);
      if (text) query.set(k.name, text);
    });
    var search = query.toString();
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  /* The filters set, for the folded panel's "(2 active)": the text box is in view, outside it. */
  function activeCount(keys, state) {
    return keys.reduce(function (sum, k) { return sum + (k.name === "q" ? 0 : k.kind.count(state[k.name])); }, 0);
  }

  /* A year filter is a four-digit year; anything else is not applied, and yearNote says why, as does
     a range that runs backwards (which no row is in). */
  function asYear(text) { return /^\d{4}$/.test(text || "") ? parseInt(text, 10) : null; }

  function yearNote(state) {
    var bad = ["from", "to"].filter(function (k) { return state[k] && asYear(state[k]) === null; });
    if (bad.length) return "“" + state[bad[0]] + "” is not a year (write it as 2024): the year filter is not applied";
    var from = asYear(state.from), to = asYear(state.to);
    if (from !== null && to !== null && from > to) return "from " + from + " to " + to + " runs backwards: swap the years";
    return "";
  }

  /* The text box's query folded as data/browse-text.json is (textrules.fold, Python's casefold):
     lowercase, without accents, ß as ss. */
  var searchText = null;  // key -> every author, identifiers, artifacts and summary (data/browse-text.json)

  function folded(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ß/g, "ss");
  }

  function matches(row, state, keys) {
    var year = parseInt(row.dataset.year, 10), from = asYear(state.from), to = asYear(state.to);
    if (from !== null && year < from) return false;
    if (to !== null && year > to) return false;
    for (var n = 0; n < keys.length; n++) {
      var k = keys[n];
      if (OWN_RULES.indexOf(k.name) < 0 && !k.kind.admits(row, k.name, state[k.name])) return false;
    }
    if (!state.q) return true;
    var text = searchText && searchText[row.dataset.key] !== undefined ? searchText[row.dataset.key] : folded(row.textContent);
    return text.indexOf(folded(state.q)) >= 0;
  }

  function fetchJson(path) {
    return fetch(path).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }

  function setUpFilters(table, panel) {
    var keys = keysOf(panel), controls = {};
    panel.querySelectorAll("[data-filter]").forEach(function (c) { controls[c.dataset.filter] = c; });
    var chips = panel.querySelectorAll(".survey-chip");
    var count = panel.querySelector("#f-count"), noun = panel.dataset.noun || "rows";
    /* On a phone the count also stays at the top of the screen while the list scrolls (CSS), so a
     * reader sees what each tap did. */
    var sticky = document.getElementById("f-count-sticky");
    /* ... but only once the count itself has scrolled out of view: two counts one above the other
     * would say the same thing twice. */
    if (sticky && window.IntersectionObserver) {
      new IntersectionObserver(function (seen) {
        sticky.classList.toggle("survey-sticky-count--on", !seen[0].isIntersecting);
      }).observe(count);
    }
    var more = document.getElementById("f-more");
    var folded = panel.querySelector("#f-panel"), active = panel.querySelector("#f-active");
    /* On a phone the filters fold away behind one control that says how many are set, so the rows
     * are on the first screen; on a wide screen they are open. */
    var state = stateOf(keys, new URLSearchParams(window.location.search));
    var limit = SHOWN_AT_ONCE, matching = [];

    /* Only the first rows that match are laid out, SHOWN_AT_ONCE more per "Show more": a phone
     * laying out a table of 10,000 rows would stall for seconds. Downloads take every match. */
    function show() {
      Object.keys(controls).forEach(function (k) { controls[k].value = state[k]; });
      chips.forEach(function (chip) {
        var on = state[chip.dataset.facet].indexOf(chip.dataset.value) >= 0;
        chip.setAttribute("aria-pressed", on ? "true" : "false");
      });
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      matching = [];
      rows.forEach(function (row) {
        var visible = matches(row, state, keys);
        if (visible) matching.push(row);
        var hidden = !visible || matching.length > limit;
        if (row.hidden !== hidden) row.hidden = hidden;
      });
      var total = rows.length, note = yearNote(state);
      count.textContent = (matching.length === total ? total + " " + noun : matching.length + " of " + total + " " + noun) +
        (matching.length > limit ? ", the first " + limit + " shown" : "") + (note ? "; " + note : "");
      if (sticky) sticky.textContent = count.textContent;
      if (more) {
        more.hidden = matching.length <= limit;
        more.textContent = "Show " + Math.min(SHOWN_AT_ONCE, matching.length - limit) + " more";
      }
      var set = activeCount(keys, state);
      active.textContent = set ? "(" + set + " active)" : "";
      table.classList.add("survey-table--ready");
    }

    /* A table split into pages holds only its first page: when a reader filters or sorts, every row
     * is fetched once (data-rows, tablefilters.py's rows in the page's own markup) and the pages'
     * links give way to the filtered table. */
    var everyRow = panel.dataset.rows ? null : Promise.resolve();
    function withEveryRow() {
      everyRow = everyRow || fetchJson(panel.dataset.rows)
        .then(function (file) {
          table.tBodies[0].innerHTML = file.rows;  /* the site's own file, written by its templates */
          table.dispatchEvent(new CustomEvent("survey:rows-replaced"));  /* sort.js sorts them as the table is */
          document.querySelectorAll(".survey-pager").forEach(function (pager) { pager.hidden = true; });
          show();
        })
        .catch(function () { /* this page's rows stay filterable */ });
      return everyRow;
    }

    function update() {
      limit = SHOWN_AT_ONCE;
      writeState(keys, state);
      show();
      withEveryRow();
    }

    Object.keys(controls).forEach(function (k) {
      controls[k].addEventListener("input", function () { state[k] = controls[k].value.trim(); update(); });
    });
    /* The text box searches what a row shows until the file of every work's full text (authors,
     * summary, identifiers) has arrived: fetched once, when a reader first searches, so that the
     * page itself stays light. */
    function loadSearchText() {
      if (searchText || loadSearchText.asked || !controls.q || !controls.q.dataset.path) return;
      loadSearchText.asked = true;
      fetchJson(controls.q.dataset.path)
        .then(function (map) { searchText = map; show(); })
        .catch(function () { /* the rows' own text is searched */ });
    }
    if (controls.q) controls.q.addEventListener("input", loadSearchText);
    if (state.q) loadSearchText();
    chips.forEach(function (chip) {
      chip.addEventListener("click", function () {
        var list = state[chip.dataset.facet], at = list.indexOf(chip.dataset.value);
        if (at >= 0) list.splice(at, 1); else list.push(chip.dataset.value);
        update();
      });
    });
    panel.querySelector("#f-reset").addEventListener("click", function () {
      state = stateOf(keys, new URLSearchParams());
      update();
    });
    /* A work with several rows shown (two of its models) is downloaded once. */
    panel.querySelectorAll("[data-records]").forEach(function (button) {
      button.addEventListener("click", function () {
        var shown = matching.map(function (r) { return r.dataset.key; })
          .filter(function (key, at, all) { return all.indexOf(key) === at; });
        downloadRows(button.dataset.records, shown);
      });
    });
    if (more) more.addEventListener("click", function () { limit += SHOWN_AT_ONCE; show(); });
    table.addEventListener("survey:sorted", function () { withEveryRow(); show(); });
    show();
    if (activeCount(keys, state) || state.q) withEveryRow();
    if (window.matchMedia("(min-width: 60em)").matches) folded.open = true;
  }

  /* The rows shown, in the order shown, as a file of an export format: each download button's
   * data-records is the renderer's index of that format (slmsurvey.joining: every work's record
   * exactly as the survey's full file writes it, how the full file joins them, the file's name and
   * media type), fetched only when a reader asks, since at 10,000 works it weighs as much as the full
   * file. A download of every row is the full file, byte for byte. */
  var indexes = {};

  function downloadRows(path, keys) {
    indexes[path] = indexes[path] || fetchJson(path).catch(function (error) { delete indexes[path]; throw error; });
    indexes[path].then(function (index) {
      var records = keys.filter(function (k) { return index.records[k] !== undefined; })
        .map(function (k) { return index.records[k]; });
      var body = index.before + records.join(index.between) + index.after;
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([body], { type: index.type }));
      link.download = index.name;
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  document.querySelectorAll(".survey-filters[data-table]").forEach(function (panel) {
    var table = document.getElementById(panel.dataset.table);
    if (table) setUpFilters(table, panel);
  });
})();
