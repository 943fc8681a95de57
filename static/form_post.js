// Submits the OAuth 2.0 form_post response as soon as the page loads; without
// JavaScript the user presses the Continue button instead.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("form-post-response");
  if (form) { form.submit(); }
});
