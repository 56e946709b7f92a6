// The project form's rows: skills (the shared picker in core's js/skill_picker.js), and adding and
// removing deliverables. Without this script the row buttons submit the form and the server makes
// the same change (nothing is saved until "Save draft" or "Save changes").
(function () {
  "use strict";

  const form = document.getElementById("project-form");
  if (!form) return;

  const deliverableRows = document.getElementById("deliverable-rows"); // absent when locked
  const addDeliverable = document.getElementById("add-deliverable");

  window.Practicum.skillRows(form);

  function numberDeliverables() {
    deliverableRows.querySelectorAll(".deliverable-row").forEach((row, index) => {
      row.querySelectorAll('[data-slot="number"]').forEach((slot) => {
        slot.textContent = String(index + 1);
      });
    });
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.name === "remove_deliverable") {
      event.preventDefault();
      button.closest(".deliverable-row").remove();
      numberDeliverables();
      addDeliverable.focus();
    } else if (button === addDeliverable) {
      event.preventDefault();
      const row = window.Practicum.rowFromTemplate("deliverable-row-template");
      deliverableRows.append(row);
      numberDeliverables();
      row.querySelector("input").focus();
    }
  });
})();
