// The project form's rows: add a skill from the autocomplete suggestions, remove skills, add and
// remove deliverables. Without this script the row buttons submit the form and the server makes
// the same change (nothing is saved until "Save draft" or "Save changes").
(function () {
  "use strict";

  const form = document.getElementById("project-form");
  if (!form) return;

  const skillRows = document.getElementById("skill-rows");
  const deliverableRows = document.getElementById("deliverable-rows"); // absent when locked
  const search = document.getElementById("skill-search");
  const suggestions = document.getElementById("skill-suggestions");
  const noSkills = document.getElementById("no-skills");
  const skillsFull = document.getElementById("skills-full");
  const addDeliverable = document.getElementById("add-deliverable");
  const maxSkills = Number(skillRows.dataset.max);
  let created = 0;

  // A fresh row from a <template>, with ids no other row uses.
  function rowFromTemplate(templateId) {
    created += 1;
    const holder = document.createElement("div");
    holder.innerHTML = document
      .getElementById(templateId)
      .innerHTML.replaceAll("__prefix__", "new-" + created);
    return holder.firstElementChild;
  }

  function refreshSkillNotes() {
    const count = skillRows.querySelectorAll(".skill-row").length;
    noSkills.hidden = count > 0;
    skillsFull.hidden = count < maxSkills;
  }

  function closeSuggestions() {
    suggestions.replaceChildren();
    search.setAttribute("aria-expanded", "false");
  }

  function addSkill(id, name) {
    const existing = skillRows.querySelector(`.skill-row[data-skill-id="${CSS.escape(id)}"]`);
    search.value = "";
    closeSuggestions();
    if (existing) {
      existing.querySelector("select").focus();
      return;
    }
    if (skillRows.querySelectorAll(".skill-row").length >= maxSkills) {
      refreshSkillNotes();
      search.focus();
      return;
    }
    const row = rowFromTemplate("skill-row-template");
    row.dataset.skillId = id;
    row.querySelector('input[name="skill_id"]').value = id;
    row.querySelectorAll('[data-slot="skill-name"]').forEach((slot) => {
      slot.textContent = name;
    });
    skillRows.append(row);
    refreshSkillNotes();
    row.querySelector("select").focus();
  }

  function suggestionButtons() {
    return Array.from(suggestions.querySelectorAll("button.suggestion"));
  }

  function numberDeliverables() {
    deliverableRows.querySelectorAll(".deliverable-row").forEach((row, index) => {
      row.querySelectorAll('[data-slot="number"]').forEach((slot) => {
        slot.textContent = String(index + 1);
      });
    });
  }

  suggestions.addEventListener("click", (event) => {
    const button = event.target.closest("button.suggestion");
    if (button) addSkill(button.dataset.skillId, button.dataset.skillName);
  });

  suggestions.addEventListener("keydown", (event) => {
    const buttons = suggestionButtons();
    const at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < buttons.length - 1) {
      event.preventDefault();
      buttons[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? buttons[at - 1] : search).focus();
    } else if (event.key === "Escape") {
      closeSuggestions();
      search.focus();
    }
  });

  search.addEventListener("keydown", (event) => {
    const buttons = suggestionButtons();
    if (event.key === "Enter") {
      // Enter picks the first match instead of submitting the whole form.
      event.preventDefault();
      if (buttons.length) buttons[0].click();
    } else if (event.key === "ArrowDown" && buttons.length) {
      event.preventDefault();
      buttons[0].focus();
    } else if (event.key === "Escape") {
      closeSuggestions();
    }
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target === suggestions) {
      search.setAttribute("aria-expanded", String(suggestionButtons().length > 0));
    }
  });

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.name === "remove_skill") {
      event.preventDefault();
      button.closest(".skill-row").remove();
      refreshSkillNotes();
      search.focus();
    } else if (button.name === "remove_deliverable") {
      event.preventDefault();
      button.closest(".deliverable-row").remove();
      numberDeliverables();
      addDeliverable.focus();
    } else if (button === addDeliverable) {
      event.preventDefault();
      const row = rowFromTemplate("deliverable-row-template");
      deliverableRows.append(row);
      numberDeliverables();
      row.querySelector("input").focus();
    }
  });
})();
