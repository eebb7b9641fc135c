// Small behaviours of every page; the pages work without them.
(function () {
  "use strict";

  // Character counters under text areas that declare data-counter="<max>". A character is a code
  // point after line breaks are made "\n", exactly as the server counts (core/text.py).
  function countCharacters(text) {
    return Array.from(text.replace(/\r\n?/g, "\n")).length;
  }
  function updateCounter(field) {
    var counter = document.getElementById(field.id + "-counter");
    if (!counter) return;
    var count = countCharacters(field.value);
    var limit = Number(field.dataset.counter);
    var template = counter.dataset.template || "{count} / {limit}";
    counter.textContent = template.replace("{count}", count).replace("{limit}", limit);
    counter.classList.toggle("text-danger", count > limit);
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

  // Print buttons: data-print.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  // A running total of number fields: data-sum-of="<selector of the fields>" shows their sum as they are typed.
  function updateSum(total) {
    var sum = 0;
    document.querySelectorAll(total.dataset.sumOf).forEach(function (field) {
      sum += parseInt(field.value, 10) || 0;
    });
    total.textContent = sum;
  }
  document.addEventListener("input", function (event) {
    document.querySelectorAll("[data-sum-of]").forEach(function (total) {
      if (event.target.matches(total.dataset.sumOf)) updateSum(total);
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-sum-of]").forEach(updateSum);
  });
})();
