// Select-all boxes: <input type="checkbox" data-select-all="FORM-ID"> ticks or clears every
// checkbox that belongs to that form (form="FORM-ID"), and shows a mixed state when only
// some are ticked. A file, not inline script: the Content-Security-Policy forbids those.
(function () {
  "use strict";
  document.querySelectorAll("input[type=checkbox][data-select-all]").forEach(function (all) {
    var formId = all.dataset.selectAll;
    function boxes() {
      return Array.prototype.filter.call(
        document.querySelectorAll("input[type=checkbox][form='" + formId + "']"),
        function (box) { return box !== all && !box.disabled; }
      );
    }
    function sync() {
      var list = boxes();
      var ticked = list.filter(function (box) { return box.checked; }).length;
      all.checked = list.length > 0 && ticked === list.length;
      all.indeterminate = ticked > 0 && ticked < list.length;
    }
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
      all.indeterminate = false;
    });
    boxes().forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  });
})();
