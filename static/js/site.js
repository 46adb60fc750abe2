// Behaviour every page shares, kept out of the templates: the Content-Security-Policy runs no inline script
// and no inline event handler (onclick=, onchange=, ...). Each rule is switched on by a data attribute.
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form (the language switch).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  // <form data-confirm="Question?">: ask before submitting; "Cancel" keeps the page as it is.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });

  // <input data-select-on-focus>: a click selects the whole value, ready to copy (the calendar feed address).
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("click", function () {
      input.select();
    });
  });
})();
