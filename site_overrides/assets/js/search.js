/* Search, on every page (the header has the box): Pagefind's index in Material's search dialog (see
 * partials/search.html). Material's search UI only talks to its own worker, which downloads the whole
 * index on every page load.
 */
(function () {
  "use strict";

  /* Pagefind's API is loaded on the first focus of the search box; Pagefind then downloads only
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

  var dialog = document.getElementById("survey-search");
  if (dialog) setUpSearch(dialog);  /* Zensical's header has a search of its own (slmsurvey.engines) */
})();
