// Time-zone pickers (core/timezones.py): while a picker still shows the default (UTC) and
// nobody changed it, choose the browser's own zone and say so. Nothing is saved until the form is.
(function () {
  "use strict";
  let browserZone;
  try {
    browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!browserZone) return;
  document.querySelectorAll("select[data-browser-timezone]").forEach((select) => {
    const fallback = select.dataset.browserTimezone;
    if (select.value !== fallback || browserZone === fallback) return;
    const option = Array.from(select.options).find((o) => o.value === browserZone);
    if (!option) return;
    select.value = browserZone;
    const note = document.createElement("p");
    note.className = "helptext";
    note.setAttribute("role", "status");
    note.textContent = `Your browser's time zone, ${browserZone}, is chosen. Save to keep it.`;
    select.insertAdjacentElement("afterend", note);
  });
})();
