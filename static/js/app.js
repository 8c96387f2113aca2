// Loaded as a file (script-src 'self'): no inline scripts anywhere.
document.addEventListener("htmx:configRequest", function (event) {
  event.detail.headers["X-CSRFToken"] = document.body.dataset.csrfToken;
});

// Forms that autosave (data-autosave): leaving the page (Next, Previous, a step link) must not race
// an autosave of the same page, or the two saves would carry the same version and the second would
// be refused as a conflict. So a submission waits for an autosave in flight (it brings the new
// version number back), and no autosave starts once the page is being left.
(function () {
  var inFlight = 0;
  var leaving = false;

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!event.detail.elt.matches || !event.detail.elt.matches("form[data-autosave]")) {
      return;
    }
    if (leaving) {
      event.preventDefault();
      return;
    }
    inFlight += 1;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt.matches && event.detail.elt.matches("form[data-autosave]")) {
      inFlight = Math.max(0, inFlight - 1);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-autosave]")) {
      return;
    }
    if (inFlight > 0) {
      event.preventDefault();
      var submitter = event.submitter;
      var started = Date.now();
      var retry = function () {
        if (inFlight > 0 && Date.now() - started < 5000) {
          window.setTimeout(retry, 50);
          return;
        }
        inFlight = 0;
        form.requestSubmit(submitter);
      };
      window.setTimeout(retry, 50);
      return;
    }
    leaving = true;
  });
})();

// Progress bars carry their value in data-percent: the width is set here, because the CSP forbids
// inline style attributes (setting a property through the CSSOM is allowed).
(function () {
  function paint(root) {
    root.querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
      bar.style.width = bar.dataset.percent + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { paint(document); });
  document.addEventListener("htmx:afterSettle", function () { paint(document); });
})();

// Charts: each <canvas data-chart="ID"> draws the configuration in <script type="application/json" id="ID">
// (written by json_script, so no inline script runs). Chart.js is loaded only on the dashboard.
(function () {
  // A logarithmic axis when the bars differ by orders of magnitude (thousands imported, a few filed).
  function scales(spec) {
    var y = spec.logarithmic
      ? { type: "logarithmic", title: { display: true, text: spec.y_title } }
      : { stacked: !!spec.stacked, beginAtZero: true };
    return spec.type === "bar" ? { x: { stacked: !!spec.stacked }, y: y } : { y: { beginAtZero: true } };
  }
  function draw() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source || canvas.dataset.drawn) {
        return;
      }
      var spec = JSON.parse(source.textContent);
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets },
        options: {
          animation: false,
          responsive: true,
          scales: scales(spec),
          plugins: { legend: { display: spec.datasets.length > 1 } }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
