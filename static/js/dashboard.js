// Dashboard charts. Data comes from json_script blocks rendered by the server; no inline values.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var labels = JSON.parse(document.getElementById("chart-labels").textContent);
  // People who ask for less motion (and the browser tests, which screenshot the charts) get them drawn at once.
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  var green = "#0b6e4f", light = "#9fd3bd", palette = ["#0b6e4f", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#577590"];

  var cohortEl = document.getElementById("cohort-data");
  if (cohortEl) {
    var cohorts = JSON.parse(cohortEl.textContent);
    new Chart(document.getElementById("cohort-chart"), {
      type: "bar",
      data: {
        labels: cohorts.map(function (r) { return r.entry_year; }),
        datasets: [
          { label: labels.records, data: cohorts.map(function (r) { return r.total; }), backgroundColor: light },
          { label: labels.accounts, data: cohorts.map(function (r) { return r.claimed; }), backgroundColor: green }
        ]
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  var kindEl = document.getElementById("employer-data");
  if (kindEl) {
    var kinds = JSON.parse(kindEl.textContent);
    new Chart(document.getElementById("employer-chart"), {
      type: "bar",
      data: {
        labels: kinds.map(function (r) { return labels.kinds[r.employer_kind] || r.employer_kind; }),
        datasets: [{ label: labels.jobs, data: kinds.map(function (r) { return r.n; }), backgroundColor: palette }]
      },
      options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } },
                 scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
})();
