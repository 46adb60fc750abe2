// Charts say their numbers to people who cannot see them (WCAG 1.1.1): every Chart.js canvas's aria-label becomes
// its title followed by each series' values ("Alumni per angkatan. Catatan: 2008 21, 2009 22; Akun: ..."). The
// label is rewritten whenever the chart is, so a chart that switches data (the attendance chart's program
// select) keeps telling the truth. Loaded after the pages' own scripts; pages without Chart.js are left alone.
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
