/* The pages' small behaviours, without inline script (the Content-Security-Policy allows none):
 * - <form data-confirm="question"> asks before it is sent;
 * - <input type="checkbox" data-tick-all="name"> ticks every box of that name;
 * - <button class="copy" data-copy="ID" data-copied="text"> copies the text of element ID.
 */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input[data-tick-all]")) {
      document.querySelectorAll("input[name='" + target.dataset.tickAll + "']").forEach(function (box) {
        box.checked = target.checked;
      });
    }
    var button = target.closest ? target.closest("button.copy[data-copy]") : null;
    if (!button) { return; }
    var source = document.getElementById(button.dataset.copy);
    var done = function () { button.textContent = button.dataset.copied || button.textContent; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.textContent.trim()).then(done);
    } else {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
      if (document.execCommand("copy")) { done(); }
    }
  });
}());
