// Forms marked data-confirm="question" ask before sending. Kept in a file, not an onsubmit
// attribute, because the Content-Security-Policy forbids inline scripts.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
