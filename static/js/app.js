// Small behaviours of every page; the pages work without them.
(function () {
  "use strict";

  // Character counters under text areas that declare data-counter="<max>".
  function updateCounter(field) {
    var counter = document.getElementById(field.id + "-counter");
    if (counter) {
      counter.textContent = field.value.length + " / " + field.dataset.counter;
      counter.classList.toggle("text-danger", field.value.length > Number(field.dataset.counter));
    }
  }
  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.counter) updateCounter(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-counter]").forEach(updateCounter);
  });

  // A form marked data-once sends once: a double click does not send it twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    window.setTimeout(function () { delete form.dataset.sent; }, 5000);
  });

  // Buttons that ask first: data-confirm="<question>".
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  // The print pages' own print button.
  document.addEventListener("click", function (event) {
    if (event.target.closest("#print-page")) window.print();
  });
})();
