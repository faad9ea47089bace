// Hints while typing a figure. The server checks everything again; this only helps early.
(function () {
  "use strict";
  function normalize(text) {
    // Full-width digits and punctuation to half-width, as the server's NFKC does.
    return text.replace(/[\uFF01-\uFF5E]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0xFEE0);
    }).replace(/\u3000/g, " ").replace(/\s+/g, "");
  }
  function hintFor(raw, unit) {
    var text = normalize(raw);
    if (!text) { return ""; }
    var match = text.match(/^([+-]?[\d,.]*\d[\d,.]*)(.*)$/);
    if (!match) { return "“" + raw.trim() + "”不是数字"; }
    if (match[2] && match[2] !== normalize(unit)) {
      return "单位应为“" + unit + "”，请换算后填写数字";
    }
    if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(match[1])) {
      return "“" + raw.trim() + "”不是数字";
    }
    return "将按 " + match[1].replace(/,/g, "") + " " + unit + " 保存";
  }
  // After a refused save, bring the indicator with the problem into view.
  var failed = document.querySelector(".report-line.has-errors");
  if (failed) { failed.scrollIntoView({block: "start"}); }
  document.querySelectorAll("input[data-unit]").forEach(function (input) {
    var hint = input.parentElement.querySelector(".hint");
    if (!hint) { return; }
    input.addEventListener("input", function () {
      hint.textContent = hintFor(input.value, input.dataset.unit);
    });
  });
})();
