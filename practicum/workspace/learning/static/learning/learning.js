// The practised-skill form: a skill picked from the autocomplete (core's js/skill_picker.js)
// becomes the chosen option of the form's skill select. Without this script the search box is a
// plain search form whose matches are listed in that select.
(function () {
  "use strict";

  const search = document.getElementById("skill-search");
  const suggestions = document.getElementById("skill-suggestions");
  const select = document.getElementById("id_skill");
  if (!search || !suggestions || !select) return;

  function pick(id, name) {
    let option = Array.from(select.options).find((o) => o.value === id);
    if (!option) {
      option = new Option(name, id);
      select.add(option);
    }
    select.value = id;
    search.value = "";
    picker.close();
    select.focus();
  }

  const picker = window.Practicum.skillPicker({ search, suggestions, pick });
})();
