// Progressive enhancement: a button that copies the feed URL (the field works without it).
document.addEventListener("DOMContentLoaded", () => {
  const field = document.getElementById("feed-url");
  const button = document.querySelector(".copy-feed");
  if (!field || !button || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(field.value);
    button.textContent = "Copied";
  });
  field.addEventListener("focus", () => field.select());
});
