// Read one export file with citation-js, as Zotero's and Mendeley's engine (citeproc-js) would,
// and print, per record, the CSL item citation-js made of it and its references in the given styles.
//   node read.js <file> <bibtex|ris|csl> <style.csl>...
// Output: a JSON list of {id, item, references: {style name: text}}.
"use strict";
const fs = require("fs");
const path = require("path");
const { Cite, plugins } = require("@citation-js/core");
require("@citation-js/plugin-bibtex");
require("@citation-js/plugin-ris");
require("@citation-js/plugin-csl");

const [file, format, ...styles] = process.argv.slice(2);
const FORCE = { bibtex: "@bibtex/text", ris: "@ris/file", csl: "@csl/list+object" };
const templates = plugins.config.get("@csl").styles;
const names = styles.map((style) => {
  const name = "survey-" + path.basename(style, ".csl");
  templates.add(name, fs.readFileSync(style, "utf8"));
  return name;
});

let input = fs.readFileSync(file, "utf8");
if (format === "csl") input = JSON.parse(input);
const cite = new Cite(input, { forceType: FORCE[format] });
const out = cite.data.map((item) => {
  const one = new Cite(item);
  const references = {};
  names.forEach((name) => {
    references[name.replace(/^survey-/, "")] = one.format("bibliography", { template: name, format: "text", lang: "en-US" }).trim();
  });
  return { id: item.id, item, references };
});
process.stdout.write(JSON.stringify(out, null, 1));
