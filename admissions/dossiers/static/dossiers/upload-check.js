// Checks a file in the browser before it is sent (R10.3). The server still decides.
(function () {
  "use strict";
  var fr = (document.documentElement.lang || "fr").indexOf("en") !== 0;
  function say(box, text) { box.textContent = text; box.hidden = !text; }
  function sizeText(bytes) { return (bytes / 1048576).toFixed(1).replace(".", fr ? "," : ".") + (fr ? " Mo" : " MB"); }
  document.querySelectorAll("form.upload-form").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var box = form.querySelector(".upload-check");
    var maxBytes = parseInt(form.dataset.maxBytes, 10);
    var photo = form.dataset.photo;
    // The campaign's formats and size limit, worded in the page's language by the server.
    var types = (form.dataset.types || "").split(",");
    var formats = form.dataset.formats;
    var maxSize = form.dataset.maxSize;
    input.addEventListener("change", function () {
      say(box, "");
      var file = input.files[0];
      if (!file) { return; }
      if (types.indexOf(file.type) < 0) {
        say(box, fr ? "Ce fichier n'est pas un " + formats + "."
                    : "This file is not a " + formats + ".");
        input.value = ""; return;
      }
      if (file.size > maxBytes) {
        say(box, fr ? "Votre fichier fait " + sizeText(file.size) + " ; maximum " + maxSize + "."
                    : "Your file is " + sizeText(file.size) + "; the maximum is " + maxSize + ".");
        input.value = ""; return;
      }
      if (photo) {
        var max = photo.split("x").map(Number);
        var img = new Image();
        img.onload = function () {
          if (img.naturalWidth > max[0] || img.naturalHeight > max[1]) {
            say(box, fr ? "Votre photo fait " + img.naturalWidth + " x " + img.naturalHeight + " px ; maximum " + max[0] + " x " + max[1] + "."
                        : "Your photo is " + img.naturalWidth + " x " + img.naturalHeight + " px; the maximum is " + max[0] + " x " + max[1] + ".");
          }
          URL.revokeObjectURL(img.src);
        };
        img.src = URL.createObjectURL(file);
      }
    });
  });
})();
