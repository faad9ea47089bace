// Plan and year switchers that go straight to the chosen page. Loaded by base.html on every
// page: the Content-Security-Policy allows no inline script or on* handler.
(function () {
  "use strict";
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
