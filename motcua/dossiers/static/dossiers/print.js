// The printed forms' "In" button: a file of its own, as the Content-Security-Policy allows no
// inline script (docs/security.md).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
