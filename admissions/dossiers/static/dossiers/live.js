// Live explanations (R3.2, R3.3, R3.6): as the candidate types, the page's form is posted for a
// preview that the server computes and rolls back; the panel shows the result. Nothing is saved
// until the candidate presses "Enregistrer". Without JavaScript the panel updates on each save.
(function () {
  "use strict";
  var panel = document.getElementById("live-panel");
  var form = document.querySelector("form[data-live]");
  if (!panel || !form || !window.fetch) { return; }
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;
  var inFlight = null;
  function refresh() {
    if (inFlight) { inFlight.abort(); }
    inFlight = new AbortController();
    fetch(window.location.pathname, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Live-Preview": "1", "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin",
      signal: inFlight.signal
    }).then(function (response) {
      if (response.ok && response.headers.get("Content-Type").indexOf("text/html") === 0) {
        return response.text().then(function (html) { panel.innerHTML = html; });
      }
    }).catch(function () { /* offline or aborted: the panel keeps its last state */ });
  }
  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  });
})();
