/* The back office's only script of its own; htmx does the rest. Refusals (403, 409, 422)
   come back as the re-rendered page with the Vietnamese message: swap them in like a success
   instead of htmx's default of ignoring error responses. */
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 403 || status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

/* Pick lists (procedures found while typing): ↓ from the search box goes to the first
   result, ↑/↓ move between results, ↑ from the first goes back to the box. */
document.addEventListener("keydown", function (event) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  var target = event.target;
  var box = target.closest && target.closest("[data-picklist]");
  var list = box ? document.getElementById(box.getAttribute("data-picklist")) : null;
  if (!list && target.closest) {
    list = target.closest(".picklist-region");
    box = list ? document.querySelector("[data-picklist='" + list.id + "']") : null;
  }
  if (!list) return;
  var links = Array.prototype.slice.call(list.querySelectorAll(".picklist a"));
  if (!links.length) return;
  var index = links.indexOf(target);
  var next = null;
  if (event.key === "ArrowDown") next = index < 0 ? links[0] : links[Math.min(index + 1, links.length - 1)];
  else if (index > 0) next = links[index - 1];
  else if (index === 0) next = box;
  if (next) { event.preventDefault(); next.focus(); }
});

/* After htmx swaps a page body in, put the cursor where the clerk must look: the first field
   in error, else the message box (both are announced: role=alert / role=status). */
document.addEventListener("htmx:afterSwap", function (event) {
  var root = event.detail.target;
  if (root.id !== "dossier") return;  // not the applicant recall: the clerk is typing there
  var target = root.querySelector("[aria-invalid='true']") ||
    root.querySelector(".error-box, .notice");
  if (!target) return;
  if (!target.matches("input, select, textarea")) target.setAttribute("tabindex", "-1");
  target.focus();
});
