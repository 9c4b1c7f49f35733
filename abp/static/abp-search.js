/* Search results page (abp.search): snippets from the reading text only.
 *
 * Sphinx builds a result's snippet from the page's whole main text, leaving out only
 * permalinks, scripts and styles. This leaves out, besides, what the search index leaves out
 * (blocks marked "no-search": a card's BibTeX) and code blocks.
 */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const upstream = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".no-search, div.highlight, pre").forEach((el) => el.remove());
    return upstream(doc.documentElement.outerHTML, anchor);
  };
});
