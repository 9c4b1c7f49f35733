/* The language switcher keeps the reader's place: each link to another edition of this page
 * takes the page's ?query (the search page's q) and #anchor (a card, a heading). Without
 * JavaScript the links lead to the same page, at its top. */
"use strict";
(() => {
  const update = () => {
    for (const link of document.querySelectorAll("a.abp-language-link")) {
      const url = new URL(link.href, document.baseURI);
      url.search = window.location.search;
      url.hash = window.location.hash;
      link.href = url.href;
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("hashchange", update);
  window.addEventListener("popstate", update);
})();
