// The applicants page: "Select all on this page" ticks every applicant's checkbox of the bulk
// form. Without this script the box stays hidden and each applicant is ticked by hand.
(function () {
  "use strict";

  const all = document.querySelector("[data-select-all]");
  if (!all) return;
  const formId = all.dataset.selectAll;
  const boxes = () =>
    Array.from(document.querySelectorAll(`input[name="applications"][form="${CSS.escape(formId)}"]`));

  function reflect() {
    const ticked = boxes().filter((box) => box.checked).length;
    all.checked = ticked > 0 && ticked === boxes().length;
    all.indeterminate = ticked > 0 && ticked < boxes().length;
  }

  all.closest(".select-all").hidden = false;
  all.addEventListener("change", () => {
    for (const box of boxes()) box.checked = all.checked;
  });
  for (const box of boxes()) box.addEventListener("change", reflect);
  reflect();
})();
