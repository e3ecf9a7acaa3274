// Conditional questions: show a question only when the earlier question it depends on has
// one of the listed answers. The server applies the same rule, so this is only comfort.
(function () {
  "use strict";
  var form = document.querySelector(".survey-form");
  if (!form) return;
  function chosen(name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        values.push(input.value);
      }
    });
    return values;
  }
  function update() {
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      var wanted = box.getAttribute("data-show-values").split(",");
      var dependsOn = form.querySelector('[name="' + box.getAttribute("data-show-if") + '"]');
      var holder = dependsOn && dependsOn.closest(".survey-question");
      var parentShown = !holder || !holder.hidden;
      var match = chosen(box.getAttribute("data-show-if")).some(function (v) {
        return wanted.indexOf(v) !== -1;
      });
      box.hidden = !(parentShown && match);
    });
  }
  form.addEventListener("change", update);
  update();
})();
