// Mentoring overview: one grouped bar chart per year (mentorships started, meetings logged, requests sent),
// drawn from the json_script "mentoring-staff-chart". static/js/a11y.js writes the numbers into the
// canvas's aria-label.
(function () {
  "use strict";
  var dataEl = document.getElementById("mentoring-staff-chart");
  var canvas = document.getElementById("chart-mentoring");
  if (typeof Chart === "undefined" || !dataEl || !canvas) { return; }
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  var chart = JSON.parse(dataEl.textContent);
  var COLOURS = ["#0b6e4f", "#3a9b78", "#f2a541", "#c8553d", "#52606d"];
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
})();
