/* Entry cards (abp.cards): the "Copy BibTeX" button of every card.
 *
 * The button is in the page, hidden; this shows it and copies the card's BibTeX (the text of
 * its folded BibTeX block, open or not) to the clipboard, then says so for two seconds.
 */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return; // no clipboard: the block's own copy button remains
  document.querySelectorAll(".abp-card button.abp-copy-bibtex").forEach((button) => {
    const source = button.closest(".abp-card").querySelector("details.abp-bibtex pre");
    if (!source) return;
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(source.textContent.replace(/\n$/, "")).then(() => {
        button.textContent = button.dataset.done;
        setTimeout(() => { button.textContent = label; }, 2000);
      });
    });
  });
});
