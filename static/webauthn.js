// webauthn.js runs the WebAuthn ceremony of a Sigil passkey page: the only
// script of Sigil's pages. A form with data-webauthn="create" or "get" holds
// the server's options (JSON, binary values base64url) in
// data-webauthn-options; on submit the script asks the browser for a passkey
// and posts the result as JSON in the form's "credential" field.
(function () {
  "use strict";

  function toBytes(b64url) {
    var b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
    var bin = atob(b64 + "===".slice((b64.length + 3) % 4));
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toB64url(buf) {
    if (!buf) return undefined;
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function decodeDescriptors(list) {
    return (list || []).map(function (d) {
      return Object.assign({}, d, { id: toBytes(d.id) });
    });
  }

  function publicKeyOptions(mode, options) {
    var pk = Object.assign({}, options.publicKey);
    pk.challenge = toBytes(pk.challenge);
    if (mode === "create") {
      pk.user = Object.assign({}, pk.user, { id: toBytes(pk.user.id) });
      pk.excludeCredentials = decodeDescriptors(pk.excludeCredentials);
    } else {
      pk.allowCredentials = decodeDescriptors(pk.allowCredentials);
    }
    return pk;
  }

  function serialize(cred) {
    var r = cred.response, response = { clientDataJSON: toB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64url(r.attestationObject);
      if (r.getTransports) response.transports = r.getTransports();
    } else {
      response.authenticatorData = toB64url(r.authenticatorData);
      response.signature = toB64url(r.signature);
      response.userHandle = toB64url(r.userHandle);
    }
    return JSON.stringify({
      id: cred.id, rawId: toB64url(cred.rawId), type: cred.type, response: response,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}
    });
  }

  function showError(form, text) {
    var p = form.querySelector(".ext-webauthn-error");
    if (!p) return;
    p.textContent = text;
    p.hidden = false;
  }

  function run(form, event) {
    var field = form.querySelector(".ext-webauthn-credential");
    if (!field || field.value) return;
    event.preventDefault();
    if (!window.PublicKeyCredential || !navigator.credentials) {
      showError(form, "This browser doesn't support passkeys. Use another method.");
      return;
    }
    var mode = form.getAttribute("data-webauthn");
    var pk = publicKeyOptions(mode, JSON.parse(form.getAttribute("data-webauthn-options")));
    var call = mode === "create" ? navigator.credentials.create({ publicKey: pk }) : navigator.credentials.get({ publicKey: pk });
    call.then(function (cred) {
      field.value = serialize(cred);
      form.submit();
    }, function () {
      showError(form, "The passkey request was cancelled or timed out. Try again.");
    });
  }

  document.querySelectorAll("form[data-webauthn]").forEach(function (form) {
    form.addEventListener("submit", function (event) { run(form, event); });
  });
})();
