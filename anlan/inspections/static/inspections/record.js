// The record form's 全部符合: every checklist item answered 符合 at once; any item can then be changed by hand.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-all-compliant]");
  if (!button) return;
  const form = button.closest("form");
  form.querySelectorAll('input[type="radio"][name^="result_"][value="compliant"]').forEach((radio) => {
    radio.checked = true;
  });
});
