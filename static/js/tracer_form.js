// Tracer answer pages: show and hide questions as answers change, mirroring each question's show_if.
// The server decides in the end (it re-checks visibility and removes answers of hidden questions); this only
// keeps the page short on a phone. Conditions on questions of other pages read the #tracer-known values.
(function () {
  "use strict";
  var form = document.getElementById("tracer-form");
  var knownEl = document.getElementById("tracer-known");
  if (!form) { return; }
  var known = knownEl ? JSON.parse(knownEl.textContent) : {};
  var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));

  function block(code) {
    for (var i = 0; i < blocks.length; i++) { if (blocks[i].dataset.question === code) { return blocks[i]; } }
    return null;
  }

  function chosen(code) {
    var own = block(code);
    if (!own) { return known[code] || []; }
    if (own.hidden) { return []; }
    var out = [];
    own.querySelectorAll('[name="' + code + '"]').forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { out.push(Number(el.value)); }
      } else if (el.value !== "") {
        out.push(Number(el.value));
      }
    });
    return out;
  }

  function update() {
    // Blocks come in question order, so a chain (f8 → f1101 → f1102) settles in one pass.
    blocks.forEach(function (b) {
      var conditions = JSON.parse(b.dataset.showIf || "[]");
      var show = conditions.every(function (c) {
        var values = chosen(c.code);
        return (c["in"] || []).some(function (v) { return values.indexOf(v) !== -1; });
      });
      b.hidden = !show;
      b.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
    });
  }

  form.addEventListener("change", update);
  update();
})();
