// The message thread's HTMX requests (the poller and the form) ask for the messages after the
// last one on the page, read when each request leaves rather than when the page was drawn, and
// both are queued on #thread (hx-sync), so a message is never appended twice.
(function () {
  function lastId() {
    const items = document.querySelectorAll("#message-list > [data-id]");
    return items.length ? items[items.length - 1].dataset.id : "0";
  }

  // The conversation reads top to bottom and the box to write sits below the newest message:
  // open the page there, as a chat does (not when a link points at a message or at earlier
  // messages).
  if (!window.location.hash && !new URLSearchParams(window.location.search).has("before")) {
    const form = document.getElementById("message-form");
    if (form) form.scrollIntoView({ block: "end" });
  }

  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.hasAttribute("data-thread-after")) {
      event.detail.parameters["after"] = lastId();
    }
  });

  // A message that cannot be posted comes back as 422 with the form and its errors (what was
  // typed kept): show it, although htmx leaves 4xx answers unswapped by default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const sender = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (event.detail.xhr.status === 422 && sender && sender.id === "message-form") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
