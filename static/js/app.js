// Loaded as a file (script-src 'self'): no inline scripts anywhere.
document.addEventListener("htmx:configRequest", function (event) {
  event.detail.headers["X-CSRFToken"] = document.body.dataset.csrfToken;
});
