// Plan and year switchers that go straight to the chosen page. Loaded by base.html on every
// page: the Content-Security-Policy allows no inline script or on* handler.
(function () {
  "use strict";
  // The menu button folds the navigation away on a narrow screen. Without this script the
  // navigation simply stays open: the CSS folds it only under .js-nav.
  document.querySelectorAll(".nav-toggle").forEach(function (button) {
    var bar = button.closest(".topbar");
    if (!bar) { return; }
    bar.classList.add("js-nav");
    button.addEventListener("click", function () {
      var open = bar.classList.toggle("nav-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
  // A wide table scrolls inside its own box, never the page: wrap each table.grid that
  // its template did not wrap in <div class="table-wrap"> (overflow-x: auto).
  document.querySelectorAll("table.grid").forEach(function (table) {
    if (table.parentElement && table.parentElement.classList.contains("table-wrap")) { return; }
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
  });
  // <form data-navigate="/report/{plan}/{year}/">: submitting opens that address, each
  // {name} replaced by the value of the form's field of that name.
  document.querySelectorAll("form[data-navigate]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.location.href = form.dataset.navigate.replace(/\{(\w+)\}/g, function (_, name) {
        var field = form.elements[name];
        return field ? encodeURIComponent(field.value) : "";
      });
    });
  });
  // <select data-navigate-option>: choosing an option opens its data-url.
  document.querySelectorAll("select[data-navigate-option]").forEach(function (select) {
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      if (option && option.dataset.url) { window.location.href = option.dataset.url; }
    });
  });
})();
