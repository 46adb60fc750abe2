// One grouped bar chart per year, for every canvas that names its data: <canvas data-chart="ID"> drawn from the
// json_script ID ({labels: [...], datasets: [{label, data}]}): the careers network figures, the mentoring overview.
// static/js/a11y.js writes the numbers into each canvas's aria-label.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  var COLOURS = ["#0b6e4f", "#3a9b78", "#f2a541", "#c8553d", "#52606d"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var dataEl = document.getElementById(canvas.getAttribute("data-chart"));
    if (!dataEl) { return; }
    var chart = JSON.parse(dataEl.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (d, i) {
          return { label: d.label, data: d.data, backgroundColor: COLOURS[i % COLOURS.length] };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  });
})();
