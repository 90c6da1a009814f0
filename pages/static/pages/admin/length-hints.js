/*
 * Shows a live character count under admin fields whose panel carries data-length-hint
 * (SEO title, meta description), and flags it when the text runs past the hint.
 */
(() => {
  const attach = (panel) => {
    const field = panel.querySelector("input[type=text], textarea");
    if (!field || panel.querySelector(".length-hint")) return;
    const limit = Number(panel.dataset.lengthHint);
    const hint = document.createElement("p");
    hint.className = "help length-hint";
    hint.setAttribute("aria-live", "polite");
    const update = () => {
      const length = field.value.length;
      hint.textContent = `${length} of about ${limit} characters${length > limit ? " — search engines will cut this short" : ""}`;
      hint.style.color = length > limit ? "#b30000" : "";
    };
    field.addEventListener("input", update);
    field.insertAdjacentElement("afterend", hint);
    update();
  };
  const scan = () => document.querySelectorAll("[data-length-hint]").forEach(attach);
  document.addEventListener("DOMContentLoaded", scan);
  document.addEventListener("w-panels:ready", scan);
  scan();
})();
