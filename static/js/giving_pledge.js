// Pledge form: show the weekday for a weekly pledge, the day of the month for a monthly one, and the end date for
// both. Without JavaScript every field stays visible, each with its help text.
(function () {
  "use strict";
  var form = document.getElementById("pledge-form");
  if (!form) return;
  function group(name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.closest(".mb-3") || input.parentElement : null;
  }
  var groups = { weekday: group("weekday"), day: group("day_of_month"), end: group("ends_on") };
  function update() {
    var select = form.querySelector('[name="frequency"]');
    var frequency = select ? select.value : "once";
    if (groups.weekday) groups.weekday.hidden = frequency !== "weekly";
    if (groups.day) groups.day.hidden = frequency !== "monthly";
    if (groups.end) groups.end.hidden = frequency === "once";
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "frequency") update();
  });
  update();
})();
