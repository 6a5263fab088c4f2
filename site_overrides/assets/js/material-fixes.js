/* On every page, two pieces of Material's own markup that axe flags, made right as Material adds
 * them: each code block's copy button sits in a <nav>, a landmark, so a page of several code blocks
 * has several navigation landmarks of one name (axe: landmark-unique); and a Markdown table wider
 * than a phone scrolls in a box the keyboard cannot reach (axe: scrollable-region-focusable). Each
 * gets a name of its own.
 */
(function () {
  "use strict";

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
})();
