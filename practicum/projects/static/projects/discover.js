// Discovery's skill filter: a skill picked from the autocomplete becomes a checked "skills"
// checkbox in the filter form, which then refreshes the results like any other filter. Without
// this script the skill names on the project cards are links that filter by that skill.
(function () {
  "use strict";

  const filters = document.getElementById("project-filters");
  if (!filters) return;

  const chosen = document.getElementById("skill-filters");
  const search = document.getElementById("skill-filter-search");
  const suggestions = document.getElementById("skill-filter-suggestions");

  function addSkill(id, name) {
    search.value = "";
    picker.close();
    let box = chosen.querySelector(`input[name="skills"][value="${CSS.escape(id)}"]`);
    if (!box) {
      const item = document.createElement("li");
      const label = document.createElement("label");
      box = document.createElement("input");
      box.type = "checkbox";
      box.name = "skills";
      box.value = id;
      label.append(box, " " + name);
      item.append(label);
      chosen.append(item);
    }
    box.checked = true;
    // A bubbling change is what the form listens to (hx-trigger="change").
    box.dispatchEvent(new Event("change", { bubbles: true }));
    search.focus();
  }

  // Empty filters stay out of the URL, so it reads (and bookmarks) as what was chosen.
  filters.addEventListener("htmx:configRequest", (event) => {
    const data = event.detail.formData;
    if (!data) return;
    for (const key of new Set(data.keys())) {
      if (data.getAll(key).every((value) => value === "")) data.delete(key);
    }
    showFilterCount(data);
  });

  // The phone's "Filters" button shows how many filters are set (as the page does on load).
  const count = document.getElementById("filter-count");
  function showFilterCount(data) {
    if (!count) return;
    let active = 0;
    for (const [key, value] of data.entries()) {
      if (key !== "sort" && key !== "page" && String(value).trim() !== "") active += 1;
    }
    count.textContent = String(active);
    count.hidden = active === 0;
  }

  // Typing in the skill picker is not a change of the filters.
  search.addEventListener("change", (event) => event.stopPropagation());

  // The shared picker (core's js/skill_picker.js).
  const picker = window.Practicum.skillPicker({ search, suggestions, pick: addSkill });
})();
