// Keeps the answer deadlines' countdowns current while a page stays open. The server writes
// the text; this only recomputes it every minute, with the same translated patterns, which the
// page gives in the <time> element's data attributes.
(function () {
  "use strict";
  function format(pattern, values) {
    return pattern.replace(/%\((\w+)\)[sd]/g, function (_, name) {
      return String(values[name]);
    });
  }
  function update() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (element) {
      var due = Date.parse(element.getAttribute("datetime"));
      if (isNaN(due)) {
        return;
      }
      var seconds = Math.abs(due - now) / 1000;
      var days = Math.floor(seconds / 86400);
      var hours = Math.floor((seconds % 86400) / 3600);
      var span = days
        ? format(element.dataset.daysHours, { days: days, hours: hours })
        : format(element.dataset.hours, { hours: hours });
      var pattern = due < now ? element.dataset.overdue : element.dataset.left;
      element.textContent = format(pattern, { span: span });
      element.dataset.live = "1";
    });
  }
  update();
  window.setInterval(update, 60000);
})();
