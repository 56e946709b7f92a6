// Every page: the phone menu button, the responsive disclosures (discovery filters), and the
// <details> menus (user menu), which close on Escape or a click elsewhere.
(function () {
  "use strict";

  function toggle(button, target, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    target.classList.toggle("open", open);
  }

  function wireToggle(button) {
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      toggle(button, target, button.getAttribute("aria-expanded") !== "true");
    });
  }

  document.querySelectorAll("[data-menu-button], [data-disclosure]").forEach(wireToggle);

  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (menu !== except) menu.open = false;
    });
  }

  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details[data-menu]"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("details[data-menu][open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
})();
