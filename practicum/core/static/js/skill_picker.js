// The skill picker shared by the profile form, the project form and discovery: a search box whose
// autocomplete suggestions (swapped in by htmx) can be picked with the mouse or the keyboard, and,
// on the forms, the skill rows a pick adds. Pages call the functions on window.Practicum.
(function () {
  "use strict";

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

  // Wires up the search box and its suggestions list; `pick(id, name)` receives the chosen skill.
  // Returns `close()`, which empties the suggestions.
  function skillPicker({ search, suggestions, pick }) {
    function closeSuggestions() {
      suggestions.replaceChildren();
      search.setAttribute("aria-expanded", "false");
    }

    function suggestionButtons() {
      return Array.from(suggestions.querySelectorAll("button.suggestion"));
    }

    suggestions.addEventListener("click", (event) => {
      const button = event.target.closest("button.suggestion");
      if (button) pick(button.dataset.skillId, button.dataset.skillName);
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
        // Enter picks the first match instead of submitting the form the box is in.
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

    return { close: closeSuggestions };
  }

  // A form's skill rows: a picked skill becomes a row from the <template> `template` in `rows` (at
  // most rows.dataset.max), a "remove_skill" button removes its row; `empty` and `full` are the
  // notes shown when there are no rows or no room for another. Options are element ids; the
  // defaults are the ones both skill forms use.
  function skillRows(form, options = {}) {
    const ids = {
      rows: "skill-rows",
      search: "skill-search",
      suggestions: "skill-suggestions",
      empty: "no-skills",
      full: "skills-full",
      template: "skill-row-template",
      ...options,
    };
    const rows = document.getElementById(ids.rows);
    const search = document.getElementById(ids.search);
    const suggestions = document.getElementById(ids.suggestions);
    const empty = document.getElementById(ids.empty);
    const full = document.getElementById(ids.full);
    const template = ids.template;
    const maxSkills = Number(rows.dataset.max);

    function refreshSkillNotes() {
      const count = rows.querySelectorAll(".skill-row").length;
      empty.hidden = count > 0;
      full.hidden = count < maxSkills;
    }

    const picker = skillPicker({ search, suggestions, pick: addSkill });

    function addSkill(id, name) {
      const existing = rows.querySelector(`.skill-row[data-skill-id="${CSS.escape(id)}"]`);
      search.value = "";
      picker.close();
      if (existing) {
        existing.querySelector("select").focus();
        return;
      }
      if (rows.querySelectorAll(".skill-row").length >= maxSkills) {
        refreshSkillNotes();
        search.focus();
        return;
      }
      const row = rowFromTemplate(template);
      row.dataset.skillId = id;
      row.querySelector('input[name="skill_id"]').value = id;
      row.querySelectorAll('[data-slot="skill-name"]').forEach((slot) => {
        slot.textContent = name;
      });
      rows.append(row);
      refreshSkillNotes();
      row.querySelector("select").focus();
    }

    form.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (button && button.name === "remove_skill") {
        event.preventDefault();
        button.closest(".skill-row").remove();
        refreshSkillNotes();
        search.focus();
      }
    });
  }

  window.Practicum = Object.assign(window.Practicum || {}, {
    rowFromTemplate,
    skillPicker,
    skillRows,
  });
})();
