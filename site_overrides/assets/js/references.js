/* Formatted references on an entry page: the entry's CSL-JSON record rendered with the official
 * CSL styles by citeproc-js, fetched only when the reader opens the panel.
 */
(function () {
  "use strict";

  /* The theme's assets/ folder, which holds this script's folder, the vendored citeproc-js and the
   * CSL styles and locale (slmsurvey.citation). */
  var ASSETS = new URL("../", document.currentScript.src);

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
})();
