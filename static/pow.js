// The invisible CAPTCHA: once the visitor starts filling the form, a few Web Workers solve a
// proof-of-work challenge (ALTCHA v1) in the background; its solution goes into the `altcha`
// field and the picture puzzle is hidden. When anything fails the puzzle stays, as it is
// without JavaScript. State for form.js: data-pow = solving | done | failed, and a "pow"
// event on the form at each change.
(function () {
  "use strict";

  var form = document.querySelector("form.contact-form[data-pow-url]");
  if (!form || !window.Worker || !window.fetch || !window.crypto || !window.crypto.subtle) {
    return;
  }
  var puzzle = form.querySelector("fieldset.captcha");
  var line = document.createElement("p");
  line.className = "pow-status";
  line.setAttribute("role", "status");
  line.setAttribute("aria-live", "polite");
  puzzle.insertAdjacentElement("beforebegin", line);
  var field = document.createElement("input");
  field.type = "hidden";
  field.name = "altcha";
  form.appendChild(field);

  // The page's messages in its language (see form.js).
  var WORDS = window.contactWords || {};

  var workers = [];
  var renew = null;

  function setState(state, text) {
    form.dataset.pow = state;
    line.textContent = text;
    form.dispatchEvent(new Event("pow"));
  }

  function stop() {
    workers.forEach(function (worker) {
      worker.terminate();
    });
    workers = [];
  }

  function failed() {
    stop();
    field.value = "";
    puzzle.hidden = false;
    setState("failed", WORDS["js-pow-failed"]);
  }

  function solved(challenge, number, took) {
    field.value = btoa(JSON.stringify({
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number: number,
      salt: challenge.salt,
      signature: challenge.signature,
      took: took
    }));
    form.dataset.powTook = String(took);
    puzzle.hidden = true;
    setState("done", WORDS["js-pow-done"]);
    // A fresh solution shortly before this one expires.
    var expires = parseInt((challenge.salt.split("expires=")[1] || "0"), 10) * 1000;
    clearTimeout(renew);
    renew = setTimeout(function () {
      field.value = "";
      start(true);
    }, Math.max(expires - Date.now() - 15000, 1000));
  }

  function start(again) {
    if (!again && form.dataset.pow) return;
    setState("solving", WORDS["js-pow-working"]);
    fetch(form.dataset.powUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("pow " + response.status);
        return response.json();
      })
      .then(function (challenge) {
        var count = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8));
        var began = performance.now();
        var answered = 0;
        var over = false;
        for (var i = 0; i < count; i += 1) {
          var worker = new Worker(form.dataset.powWorker);
          workers.push(worker);
          worker.onmessage = function (event) {
            if (over) return;
            answered += 1;
            if (typeof event.data.number === "number") {
              over = true;
              stop();
              solved(challenge, event.data.number, Math.round(performance.now() - began));
            } else if (answered === count) {
              over = true;
              failed();
            }
          };
          worker.onerror = function () {
            if (!over) {
              over = true;
              failed();
            }
          };
          worker.postMessage({
            challenge: challenge.challenge,
            salt: challenge.salt,
            max: challenge.maxnumber,
            start: i,
            step: count
          });
        }
      })
      .catch(failed);
  }

  form.addEventListener("focusin", function () {
    start(false);
  });
  form.addEventListener("input", function () {
    start(false);
  });
  // Back with errors from the server: the visitor may just send again.
  if (document.getElementById("form-alert")) start(false);
})();
