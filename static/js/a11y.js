// What every page does for people who use a keyboard or a screen reader, kept out of the templates (the
// Content-Security-Policy runs no inline script). Loaded last, after the pages' own scripts.
//
// 1. A table wider than its box scrolls inside .table-responsive: such a box is reachable by keyboard (tabindex 0,
//    so the arrow keys scroll it) and, unless a named section holds it, a region named by the table's caption or the
//    heading before it (WCAG 2.1.1).
// 2. Charts say their numbers to people who cannot see them (WCAG 1.1.1): every Chart.js canvas's aria-label becomes
//    its title followed by each series' values ("Alumni per angkatan. Catatan: 2008 21, 2009 22; Akun: ..."). The
//    label is rewritten whenever the chart is, so a chart that switches data (the attendance chart's program
//    select) keeps telling the truth.
(function () {
  "use strict";
  function name(box) {
    var caption = box.querySelector("caption");
    if (caption) {
      return caption.textContent.trim();
    }
    for (var node = box; node && node !== document.body; node = node.parentElement) {
      for (var sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        var heading = /^H[1-6]$/.test(sibling.tagName) ? sibling : sibling.querySelector("h1, h2, h3, h4, h5, h6");
        if (heading) {
          return heading.textContent.trim();
        }
      }
    }
    return "";
  }

  function markScrolling() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.a11yScroll = "1";
        // Inside a section that is named already, a second region of the same name would only repeat it.
        var named = box.parentElement.closest("section[aria-labelledby], section[aria-label], [role=region]");
        if (!named) {
          box.setAttribute("role", "region");
        }
        if (!named && !box.hasAttribute("aria-label") && name(box)) {
          box.setAttribute("aria-label", name(box));
          box.dataset.a11yScroll = "named";
        }
      } else if (!scrolls && box.dataset.a11yScroll) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        if (box.dataset.a11yScroll === "named") {
          box.removeAttribute("aria-label");
        }
        delete box.dataset.a11yScroll;
      }
    });
  }
  markScrolling();
  window.addEventListener("resize", markScrolling);
})();

(function () {
  "use strict";
  if (!window.Chart) {
    return;
  }
  var number = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function text(value) {
    return Array.isArray(value) ? value.join(" ") : String(value);
  }

  function describe(chart) {
    var canvas = chart.canvas;
    if (canvas.dataset.title === undefined) {
      canvas.dataset.title = canvas.getAttribute("aria-label") || "";
    }
    var labels = chart.data.labels || [];
    var series = chart.data.datasets.map(function (dataset) {
      var values = [];
      dataset.data.forEach(function (value, index) {
        var point = value !== null && typeof value === "object";
        var y = point ? value.y : value;
        if (typeof y !== "number") {
          return;
        }
        var x = labels[index] !== undefined ? labels[index] : (point ? value.x : undefined);
        values.push((x !== undefined && x !== null ? text(x) + " " : "") + number.format(y));
      });
      return (dataset.label ? text(dataset.label) + ": " : "") + values.join(", ");
    });
    var title = canvas.dataset.title;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", (title ? title + ". " : "") + series.join("; "));
  }

  window.Chart.register({id: "textAlternative", afterUpdate: describe});
  Object.keys(window.Chart.instances).forEach(function (id) {
    describe(window.Chart.instances[id]);
  });
})();
