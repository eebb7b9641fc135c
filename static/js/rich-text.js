// The rich-text editor (Trix) on the campaign notice form. Loaded in the head after Trix itself, so
// that its words are set before any editor is drawn.
(function () {
  "use strict";

  // The editor's button labels and prompts, in the page's language, from this script tag's
  // data- attributes (data-url-placeholder becomes urlPlaceholder).
  Object.assign(Trix.config.lang, document.currentScript.dataset);

  // Files are attached to the notice separately, where their type and size are checked.
  document.addEventListener("trix-file-accept", function (event) {
    event.preventDefault();
  });
})();
