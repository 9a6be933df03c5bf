"use strict";
for (const button of document.querySelectorAll("[data-cost]")) {
  button.addEventListener("click", () => {
    for (const b of document.querySelectorAll("[data-cost]")) b.setAttribute("aria-pressed", String(b === button));
    for (const img of document.querySelectorAll("#diff-view img")) img.hidden = img.dataset.cost !== button.dataset.cost;
  });
}
