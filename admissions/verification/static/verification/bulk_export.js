// Polls the export's progress every 2 seconds and reloads the page once it is done, so the
// download link appears. Without script, <noscript><meta http-equiv="refresh"> does the same.
(function () {
  "use strict";
  var box = document.getElementById("bulk-export");
  if (!box) { return; }
  var bar = document.getElementById("bulk-progress");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        bar.max = status.total;
        bar.value = status.done;
        if (status.state === "queued" || status.state === "running") {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
