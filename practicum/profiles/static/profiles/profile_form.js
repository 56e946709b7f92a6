// The profile form's rows: skills (the shared picker in core's js/skill_picker.js), and adding
// and removing availability windows. Without this script the row buttons submit the form and the
// server makes the same change (nothing is saved until "Save profile").
(function () {
  "use strict";

  const form = document.getElementById("profile-form");
  if (!form) return;

  const windowRows = document.getElementById("window-rows");
  const addWindow = document.getElementById("add-window");

  window.Practicum.skillRows(form);

  function numberWindows() {
    windowRows.querySelectorAll(".window-row").forEach((row, index) => {
      row.querySelectorAll('[data-slot="window-number"]').forEach((slot) => {
        slot.textContent = String(index + 1);
      });
    });
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.name === "remove_window") {
      event.preventDefault();
      button.closest(".window-row").remove();
      numberWindows();
      addWindow.focus();
    } else if (button === addWindow) {
      event.preventDefault();
      const row = window.Practicum.rowFromTemplate("window-row-template");
      windowRows.append(row);
      numberWindows();
      row.querySelector("input").focus();
    }
  });
})();
