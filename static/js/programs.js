// Program health: one attendance bar chart with a program picker. Data comes from json_script blocks.
(function () {
  "use strict";
  var dataEl = document.getElementById("attendance-data");
  if (typeof Chart === "undefined" || !dataEl) { return; }
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  var programs = JSON.parse(dataEl.textContent);
  var labels = JSON.parse(document.getElementById("attendance-labels").textContent);
  var picker = document.getElementById("attendance-program");
  var byId = {};
  programs.forEach(function (p) { byId[p.id] = p; });

  function series(program) {
    return {
      labels: program.sessions.map(function (s) { return s.date; }),
      registered: program.sessions.map(function (s) { return s.registered; }),
      came: program.sessions.map(function (s) { return s.came; })
    };
  }

  var first = series(programs[0]);
  var chart = new Chart(document.getElementById("attendance-chart"), {
    type: "bar",
    data: {
      labels: first.labels,
      datasets: [
        { label: labels.registered, data: first.registered, backgroundColor: "#9fd3bd" },
        { label: labels.came, data: first.came, backgroundColor: "#0b6e4f" }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });

  picker.addEventListener("change", function () {
    var s = series(byId[picker.value]);
    chart.data.labels = s.labels;
    chart.data.datasets[0].data = s.registered;
    chart.data.datasets[1].data = s.came;
    chart.update();
  });
})();
