// The support console's one script: a freeing needs a reason, and a button is pressed once.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (form.classList.contains('free')) {
    var reason = form.elements['reason'];
    if (!reason.value.trim()) {
      event.preventDefault();
      reason.focus();
      return;
    }
  }
  var buttons = form.querySelectorAll('button');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].disabled = true;
  }
});
