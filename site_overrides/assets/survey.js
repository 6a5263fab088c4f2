/* The site's own script: sortable tables, the filterable /browse/ table, formatted references on
 * entry pages, and search.
 *
 * Written by hand because Material has no table filtering, and its documented sortable tables
 * load tablesort from a CDN, which this site must not do. Without JavaScript every table is still
 * complete; the filter controls stay hidden (`.no-js`, see main.html). Search is Pagefind's index
 * in Material's search dialog (see partials/search.html): Material's search UI only talks to its
 * own worker, which downloads the whole index on every page load.
 */
(function () {
  "use strict";

  /* Sorting: a button in each <th data-sort>, announced through aria-sort. */
  function makeSortable(table, onSorted) {
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
        if (onSorted) onSorted();
      });
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

  /* Filtering (/browse/, /models/, /datasets/): state lives in the URL query so a view can be shared
   * and survives a reload. The page names every filter: a control's data-filter is its key in the
   * query and the row attribute it compares (data-section, data-licence ...: space-separated values,
   * written by tablefilters.py), except the text box (q) and the years (from, to); each facet's chips
   * carry data-facet, the taxonomy's id, which is also the row's attribute. Nothing here knows the
   * taxonomy or what a row is. */
  var SHOWN_AT_ONCE = 200;  /* and survey.css, which hides the rest until this script runs */
  var OWN_RULES = ["q", "from", "to"];

  function filtersOf(panel) {
    var controls = {}, facets = [];
    panel.querySelectorAll("[data-filter]").forEach(function (c) { controls[c.dataset.filter] = c; });
    panel.querySelectorAll(".survey-chip").forEach(function (chip) {
      if (facets.indexOf(chip.dataset.facet) < 0) facets.push(chip.dataset.facet);
    });
    return { controls: controls, facets: facets };
  }

  function emptyState(filters) {
    var state = {};
    Object.keys(filters.controls).forEach(function (k) { state[k] = ""; });
    filters.facets.forEach(function (f) { state[f] = []; });
    return state;
  }

  function readState(filters) {
    var query = new URLSearchParams(window.location.search);
    var state = emptyState(filters);
    Object.keys(filters.controls).forEach(function (k) { state[k] = query.get(k) || ""; });
    filters.facets.forEach(function (f) { state[f] = (query.get(f) || "").split(",").filter(Boolean); });
    return state;
  }

  function writeState(filters, state) {
    var query = new URLSearchParams();
    Object.keys(filters.controls).forEach(function (k) { if (state[k]) query.set(k, state[k]); });
    filters.facets.forEach(function (f) { if (state[f].length) query.set(f, state[f].join(",")); });
    var search = query.toString();
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  function activeCount(filters, state) {
    return Object.keys(filters.controls).filter(function (k) { return k !== "q" && state[k]; }).length +
      filters.facets.reduce(function (sum, f) { return sum + state[f].length; }, 0);
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

  function has(row, name, value) {
    return (row.getAttribute("data-" + name) || "").split(" ").indexOf(value) >= 0;
  }

  function matches(row, state, filters) {
    var year = parseInt(row.dataset.year, 10), from = asYear(state.from), to = asYear(state.to);
    if (from !== null && year < from) return false;
    if (to !== null && year > to) return false;
    var names = Object.keys(filters.controls);
    for (var n = 0; n < names.length; n++) {
      if (OWN_RULES.indexOf(names[n]) < 0 && state[names[n]] && !has(row, names[n], state[names[n]])) return false;
    }
    for (var i = 0; i < filters.facets.length; i++) {
      var facet = filters.facets[i], wanted = state[facet];
      if (wanted.length && !wanted.some(function (v) { return has(row, facet, v); })) return false;
    }
    if (!state.q) return true;
    var text = searchText && searchText[row.dataset.key] !== undefined ? searchText[row.dataset.key] : folded(row.textContent);
    return text.indexOf(folded(state.q)) >= 0;
  }

  function setUpFilters(table, panel) {
    var filters = filtersOf(panel), controls = filters.controls;
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
    var state = readState(filters);
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
        var visible = matches(row, state, filters);
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
      var set = activeCount(filters, state);
      active.textContent = set ? "(" + set + " active)" : "";
      table.classList.add("survey-table--ready");
    }

    /* A table split into pages holds only its first page: when a reader filters or sorts, every row
     * is fetched once (data-rows, tablefilters.py's rows in the page's own markup) and the pages'
     * links give way to the filtered table. */
    var everyRow = panel.dataset.rows ? null : Promise.resolve();
    function withEveryRow() {
      everyRow = everyRow || fetch(panel.dataset.rows).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (file) {
          if (!file) return;
          table.tBodies[0].innerHTML = file.rows;  /* the site's own file, written by its templates */
          var sorted = table.querySelector("th[aria-sort]");
          if (sorted) {
            sortRows(table, Array.prototype.indexOf.call(table.querySelectorAll("th[data-sort]"), sorted),
                     sorted.dataset.sort === "number", sorted.getAttribute("aria-sort") === "ascending");
          }
          document.querySelectorAll(".survey-pager").forEach(function (pager) { pager.hidden = true; });
          show();
        })
        .catch(function () { /* this page's rows stay filterable */ });
      return everyRow;
    }

    function update() {
      limit = SHOWN_AT_ONCE;
      writeState(filters, state);
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
      fetch(controls.q.dataset.path).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (map) { if (map) { searchText = map; show(); } })
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
      state = emptyState(filters);
      update();
    });
    /* A work with several rows shown (two of its models) is downloaded once. */
    panel.querySelectorAll("[data-format]").forEach(function (button) {
      button.addEventListener("click", function () {
        var keys = matching.map(function (r) { return r.dataset.key; })
          .filter(function (key, at, all) { return all.indexOf(key) === at; });
        downloadRows(EXPORTS[button.dataset.format], button.dataset.path, keys);
      });
    });
    if (more) more.addEventListener("click", function () { limit += SHOWN_AT_ONCE; show(); });
    makeSortable(table, function () { withEveryRow(); show(); });
    show();
    if (activeCount(filters, state) || state.q) withEveryRow();
    if (window.matchMedia("(min-width: 60em)").matches) folded.open = true;
  }

  /* The survey's export files (each button's data-path, written by the page's template from
   * slmsurvey.paths), each split into records by citation key, so that the rows shown download in
   * the order shown, exactly as the full file writes them. */
  var EXPORTS = {
    bibtex: { name: "slm-healthcare-selection.bib", type: "application/x-bibtex",
              split: function (text) { return splitRecords(text.split(/\n(?=@)/), /^@\w+\{([^,\s]+),/, "\n"); },
              join: function (records) { return records.join("\n"); } },
    ris: { name: "slm-healthcare-selection.ris", type: "application/x-research-info-systems",
           split: function (text) { return splitRecords(text.split(/\n(?=TY {2}- )/), /^ID {2}- (.+)$/m, "\n"); },
           join: function (records) { return records.join("\n"); } },
    csl: { name: "slm-healthcare-selection.json", type: "application/vnd.citationstyles.csl+json",
           split: function (text) {
             var records = {};
             JSON.parse(text).forEach(function (item) { records[item.id] = JSON.stringify(item); });
             return records;
           },
           join: function (records) { return "[\n" + records.join(",\n") + "\n]\n"; } }
  };

  function splitRecords(chunks, keyPattern, end) {
    var records = {};
    chunks.forEach(function (chunk) {
      var key = keyPattern.exec(chunk.trim());
      if (key) records[key[1].trim()] = chunk.trim() + end;
    });
    return records;
  }

  /* The records of an export file for the given keys, in the order shown, as a file download. */
  function downloadRows(format, path, keys) {
    fetchText(new URL(path, window.location.href)).then(function (text) {
      var records = format.split(text);
      var body = format.join(keys.filter(function (k) { return records[k]; }).map(function (k) { return records[k]; }));
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([body], { type: format.type }));
      link.download = format.name;
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  /* Formatted references on an entry page: the entry's CSL-JSON record rendered with the official
   * CSL styles by citeproc-js, fetched only when the reader opens the panel. */
  var ASSETS = new URL(".", document.currentScript.src);

  function fetchText(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.text();
    });
  }

  var citeproc = null;
  function loadCiteproc() {
    /* The vendored file is npm's citeproc, unchanged: it ends with `module.exports = CSL`. */
    citeproc = citeproc || new Promise(function (resolve, reject) {
      window.module = { exports: {} };
      var script = document.createElement("script");
      script.src = new URL("vendor/citeproc.js", ASSETS).href;
      script.onload = function () { var CSL = window.module.exports; delete window.module; resolve(CSL); };
      script.onerror = function () { delete window.module; reject(new Error("citeproc.js did not load")); };
      document.head.appendChild(script);
    });
    return citeproc;
  }

  function formatReference(CSL, style, locale, item) {
    var engine = new CSL.Engine({ retrieveLocale: function () { return locale; },
                                  retrieveItem: function () { return item; } }, style, "en-US", true);
    engine.updateItems([item.id]);
    var holder = document.createElement("div");
    holder.innerHTML = engine.makeBibliography()[1][0];  /* citeproc-js escapes the record's text */
    engine.setOutputFormat("text");
    var text = engine.makeBibliography()[1][0].trim();
    /* A pasted reference takes its number from the manuscript: drop the style's "1." */
    var number = holder.querySelector(".csl-left-margin");
    if (number) {
      text = text.slice(number.textContent.trim().length).trim();
      number.remove();
    }
    var body = holder.querySelector(".csl-right-inline") || holder.querySelector(".csl-entry") || holder;
    return { html: body.innerHTML.trim(), text: text };
  }

  function copyReference(reference, button) {
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    };
    if (navigator.clipboard && window.ClipboardItem) {
      var item = new ClipboardItem({ "text/html": new Blob([reference.html], { type: "text/html" }),
                                     "text/plain": new Blob([reference.text], { type: "text/plain" }) });
      navigator.clipboard.write([item]).then(done, function () {
        navigator.clipboard.writeText(reference.text).then(done);
      });
    } else if (navigator.clipboard) {
      navigator.clipboard.writeText(reference.text).then(done);
    }
  }

  function showReferences(panel) {
    var data = JSON.parse(panel.querySelector(".survey-refs__data").textContent);
    var body = panel.querySelector(".survey-refs__body");
    var files = data.styles.map(function (style) { return fetchText(new URL("csl/" + style[0] + ".csl", ASSETS)); });
    Promise.all([loadCiteproc(), fetchText(new URL("csl/" + data.locale, ASSETS))].concat(files)).then(function (got) {
      var CSL = got[0], locale = got[1];
      body.textContent = "";
      data.styles.forEach(function (style, index) {
        var reference = formatReference(CSL, got[index + 2], locale, data.item);
        var block = document.createElement("div");
        block.className = "survey-refs__style";
        block.dataset.style = style[0];
        var label = document.createElement("p");
        label.className = "survey-refs__label";
        label.textContent = style[1];
        var text = document.createElement("p");
        text.className = "survey-refs__text";
        text.innerHTML = reference.html;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button survey-refs__copy";
        button.textContent = "Copy";
        button.setAttribute("aria-label", "Copy the " + style[1] + " reference");
        button.addEventListener("click", function () { copyReference(reference, button); });
        block.append(label, text, button);
        body.appendChild(block);
      });
    }).catch(function (error) {
      body.textContent = "The references could not be formatted (" + error.message + "). The BibTeX below works.";
    });
  }

  document.querySelectorAll("details.survey-refs").forEach(function (panel) {
    panel.addEventListener("toggle", function once() {
      if (!panel.open) return;
      panel.removeEventListener("toggle", once);
      showReferences(panel);
    });
  });


  /* Search: loads Pagefind's API on the first focus of the search box; Pagefind then downloads only
   * the index fragments a query needs. Results use Material's markup, so they look like its own. */
  var RESULTS_SHOWN = 10;

  function setUpSearch(dialog) {
    var toggle = document.getElementById("__search");
    var input = dialog.querySelector(".md-search__input");
    var output = dialog.querySelector("#survey-search-results");
    var meta = output.querySelector(".md-search-result__meta");
    var list = output.querySelector(".md-search-result__list");
    var base = new URL(output.dataset.base.replace(/\/?$/, "/"), window.location.href);
    var api = null, latest = 0;

    function load() {
      api = api || import(new URL("pagefind/pagefind.js", base).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: base.pathname }).then(function () { return pagefind; });
      });
      return api;
    }

    function counted(n) {
      if (n === 0) return output.dataset.none;
      return n === 1 ? output.dataset.one : output.dataset.other.replace("#", n);
    }

    /* Pagefind's excerpts are the page's text with <mark> around the words found: keep those marks
     * and nothing else, whatever the text holds. */
    function excerpt(html) {
      var paragraph = document.createElement("p");
      var parsed = new DOMParser().parseFromString(html, "text/html").body;
      parsed.childNodes.forEach(function (node) {
        if (node.nodeName === "MARK") {
          var mark = document.createElement("mark");
          mark.textContent = node.textContent;
          paragraph.appendChild(mark);
        } else {
          paragraph.appendChild(document.createTextNode(node.textContent));
        }
      });
      return paragraph;
    }

    function link(url, heading, text, level) {
      var a = document.createElement("a");
      a.href = url;
      a.className = "md-search-result__link";
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      if (level === "h1") {
        var icon = document.createElement("div");
        icon.className = "md-search-result__icon md-icon";
        article.appendChild(icon);
      }
      var title = document.createElement(level);
      title.textContent = heading;
      article.append(title, excerpt(text));
      a.appendChild(article);
      a.addEventListener("click", function () { toggle.checked = false; });
      return a;
    }

    function render(total, pages) {
      meta.textContent = counted(total);
      list.textContent = "";
      pages.forEach(function (page) {
        var item = document.createElement("li");
        item.className = "md-search-result__item";
        item.appendChild(link(page.url, page.meta.title || page.url, page.excerpt, "h1"));
        (page.sub_results || []).filter(function (sub) {
          return sub.url.indexOf("#") > 0 && sub.title !== page.meta.title;
        }).slice(0, 2)
          .forEach(function (sub) { item.appendChild(link(sub.url, sub.title, sub.excerpt, "h2")); });
        list.appendChild(item);
      });
    }

    function search() {
      var query = input.value.trim(), ticket = ++latest;
      if (!query) {
        meta.textContent = output.dataset.placeholder;
        list.textContent = "";
        return;
      }
      load().then(function (pagefind) { return pagefind.debouncedSearch(query, {}, 150); }).then(function (found) {
        if (!found || ticket !== latest) return;
        return Promise.all(found.results.slice(0, RESULTS_SHOWN).map(function (r) { return r.data(); }))
          .then(function (pages) { if (ticket === latest) render(found.results.length, pages); });
      }).catch(function (error) {
        meta.textContent = "Search is unavailable (" + error.message + ")";
      });
    }

    function open() {
      toggle.checked = true;
      input.focus();
      load();
    }

    function results() { return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link")); }

    input.addEventListener("focus", function () { toggle.checked = true; load(); });
    input.addEventListener("input", search);
    dialog.querySelector("form").addEventListener("reset", function () { setTimeout(search); });
    toggle.addEventListener("change", function () { if (toggle.checked) open(); else input.blur(); });
    /* Material's keys: "/", "s" or "f" opens search; Escape closes it; arrows move through results. */
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
      if (!toggle.checked) {
        if (!typing && ["/", "s", "f"].indexOf(event.key) >= 0) { event.preventDefault(); open(); }
        return;
      }
      var links = results(), at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        toggle.checked = false;
        input.blur();
      } else if (event.key === "Enter" && event.target === input && links.length) {
        event.preventDefault();
        links[0].click();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!links.length) return;
        event.preventDefault();
        var next = event.key === "ArrowDown" ? at + 1 : at - 1;
        if (next < 0) input.focus(); else links[Math.min(next, links.length - 1)].focus();
      }
    });
  }

  /* A results table filtered by setting: the select names the row attribute it filters on
   * (data-filter-rows="setting" shows the rows whose data-setting is the chosen value). */
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

  /* Two pieces of Material's own markup that axe flags, made right as Material adds them: each code
   * block's copy button sits in a <nav>, a landmark, so a page of several code blocks has several
   * navigation landmarks of one name (axe: landmark-unique); and a Markdown table wider than a phone
   * scrolls in a box the keyboard cannot reach (axe: scrollable-region-focusable). Each gets a name
   * of its own. */
  function fixMaterialMarkup(root) {
    root.querySelectorAll("nav.md-code__nav").forEach(function (nav, index) {
      nav.setAttribute("aria-label", "Copy code block " + (index + 1));
    });
    root.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box, index) {
      if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Table " + (index + 1) + " (scrolls sideways)");
    });
  }
  var content = document.querySelector(".md-content");
  if (content) {
    fixMaterialMarkup(content);
    new MutationObserver(function () { fixMaterialMarkup(content); }).observe(content, { childList: true, subtree: true });
  }

  var filtered = [];
  document.querySelectorAll(".survey-filters[data-table]").forEach(function (panel) {
    var table = document.getElementById(panel.dataset.table);
    if (table) { filtered.push(table); setUpFilters(table, panel); }
  });
  document.querySelectorAll("table[data-sortable]").forEach(function (t) {
    if (filtered.indexOf(t) < 0) makeSortable(t);
  });
  document.querySelectorAll("select[data-filter-rows]").forEach(setUpRowFilter);
  var dialog = document.getElementById("survey-search");
  if (dialog) setUpSearch(dialog);
})();
