/* Annotated BERT Papers: the full-width exclamation mark in sphinx-copybutton's Chinese message.
 *
 * sphinx-copybutton 0.5.2 says "复制成功!" (an ASCII "!") once a block is copied; Chinese text
 * takes the full-width "！". This file is loaded after copybutton.js (html_js_files come after the
 * extensions' scripts) and corrects that script's page-wide `messages` table, which the tooltip
 * reads on every copy, and its `iconCheck` icon, whose title was filled in from the table when
 * copybutton.js ran. Nothing else of sphinx-copybutton changes; on other pages it does nothing.
 */
(() => {
  "use strict";
  if (typeof messages === "undefined" || !messages["zh-CN"]) return;
  const written = messages["zh-CN"].copy_success;
  const corrected = written.replace(/!$/, "！");
  if (corrected === written) return;
  messages["zh-CN"].copy_success = corrected;
  if (typeof iconCheck === "string" && typeof locale !== "undefined" && locale === "zh-CN") {
    iconCheck = iconCheck.replace(`<title>${written}</title>`, `<title>${corrected}</title>`);
  }
})();
