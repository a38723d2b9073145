/* The 1022 console's own script; htmx does the requests. Everything here only saves clicks:
   without it the forms still post and the links still work. */

/* The call form: Enter in the content or the answer saves the call (Shift+Enter starts a new
   line), and so does Enter on a picked suggestion, kind or dossier. */
document.addEventListener("keydown", function (event) {
  var target = event.target;
  if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
  if (!target.matches) return;
  var picked = target.matches(".call-form input[type=radio], .call-form input[type=checkbox]");
  if (!picked && !target.matches("textarea[data-enter-submits]")) return;
  event.preventDefault();
  var form = target.form;
  if (form.requestSubmit) form.requestSubmit(); else form.submit();
});

/* Leaving the content for a suggestion posts the content again (its "change"), before the
   click has picked anything; the suggestions that come back must not undo the pick nor take
   the cursor off it, or Enter would save the call unrouted, or not at all. */
var routePick = null;
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.target.id !== "suggestions") return;
  var checked = event.detail.target.querySelector("input[name=route]:checked");
  routePick = checked && { value: checked.value, focused: checked === document.activeElement };
});
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.detail.target.id !== "suggestions" || !routePick) return;
  var choices = event.detail.target.querySelectorAll("input[name=route]");
  for (var i = 0; i < choices.length; i++) {
    if (choices[i].value !== routePick.value) continue;
    choices[i].checked = true;
    if (routePick.focused) choices[i].focus();
  }
  routePick = null;
});

/* Enter in the number, before anything is said, goes on to the content rather than saving an
   empty call. */
document.addEventListener("keydown", function (event) {
  var target = event.target;
  if (event.key !== "Enter" || !target.matches || !target.matches(".call-form input[name=phone]")) return;
  var body = target.form.querySelector("textarea[name=body]");
  if (!body || body.value.trim()) return;
  event.preventDefault();
  body.focus();
});

/* A softphone opens the call form at /tong-dai/goi-dien/#phone=0912345678 on an incoming
   call. The number is after "#", so it never reaches the server or its logs; here it goes
   into the number box (which posts it to bring up the caller), the address loses it, and the
   cursor waits in the content. */
document.addEventListener("DOMContentLoaded", function () {
  var match = /^#phone=([^&]*)/.exec(window.location.hash);
  var phone = document.querySelector(".call-form input[name=phone]");
  if (!match || !phone) return;
  history.replaceState(null, "", window.location.pathname);
  try { phone.value = decodeURIComponent(match[1]).slice(0, 30); } catch (e) { return; }
  phone.dispatchEvent(new Event("change", { bubbles: true }));
  var body = phone.form.querySelector("textarea[name=body]");
  if (body) body.focus();
});

/* The knowledge base: "Chèn vào trả lời" puts the text into the answer box instead of
   reloading the page with it. */
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-insert]");
  if (!link) return;
  var box = document.querySelector("textarea[data-knowledge-target]");
  if (!box) return;
  event.preventDefault();
  box.value = box.value.trim() ? box.value.replace(/\s+$/, "") + "\n\n" + link.dataset.insert : link.dataset.insert;
  var source = box.form.querySelector("input[name$='public_answer_id']");
  if (source) source.value = link.dataset.publicAnswer || "";
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
});

/* After an action swaps the ticket in, put the cursor where the user must look: the first
   field in error, else the message. */
document.addEventListener("htmx:afterSwap", function (event) {
  var root = event.detail.target;
  if (root.id !== "ticket") return;
  var target = root.querySelector("[aria-invalid='true']") || root.querySelector(".error-box, .notice");
  if (!target) return;
  if (!target.matches("input, select, textarea")) target.setAttribute("tabindex", "-1");
  target.focus();
});
