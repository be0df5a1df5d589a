// The recovery link carries its code in the URL fragment (never sent to a
// server, never in a log or a Referer): put it in the form's code field.
// Without JavaScript, the person pastes the code from the mail.
(function () {
  var code = window.location.hash.replace(/^#/, "");
  var field = document.getElementById("code");
  if (code && field && !field.value) {
    field.value = decodeURIComponent(code);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname);
    }
  }
})();
