// Progressive enhancement for the contact form. Without this file the form works the same way
// through the server; with it, mistakes show up before sending, the CAPTCHA answer is checked
// first, and the picture can be refreshed and heard in place. The server stays the authority.
(function () {
  "use strict";

  var form = document.querySelector("form.contact-form[data-captcha-url]");
  var alertBox = document.getElementById("form-alert");
  if (alertBox) {
    // After a refused submission, bring keyboard and screen-reader users to the summary.
    alertBox.focus();
  }
  if (!form || !window.fetch) {
    return;
  }

  var status = document.getElementById("form-status");
  // The page's messages in its language (words-<lang>.js: the catalog's `js-*` and `field-*`),
  // `{name}` where a value goes.
  var WORDS = window.contactWords || {};
  function word(id, values) {
    var text = WORDS[id] || id;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }
  var EMAIL = /^[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
  var CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

  // The proof of work (pow.js) answers the CAPTCHA instead of the picture once it is done.
  function powDone() {
    return form.dataset.pow === "done";
  }

  function length(value) {
    return Array.from(value).length;
  }

  // Each rule mirrors the server's (src/domain): the message is the one the server would give.
  var rules = {
    name: function (v) {
      if (!v) return word("field-name-missing");
      if (/[\u0000-\u001F\u007F]/.test(v)) return word("field-control");
      if (length(v) > 100) return word("field-name-too-long");
    },
    email: function (v) {
      if (!v) return word("field-email-missing");
      if (v.length > 254) return word("field-email-too-long");
      if (!EMAIL.test(v) || v.split("@")[0].length > 64) return word("field-email-invalid");
    },
    phone: function (v) {
      if (!v) return word("field-phone-missing");
      if (v.length > 40) return word("field-phone-way-too-long");
      var digits = v.replace(/\D/g, "");
      if (/[^0-9+()\-.\s\/]/.test(v.replace(/ext\.?|x/gi, ""))) return word("field-phone-invalid");
      if (digits.length < 6) return word("field-phone-too-short");
      if (digits.length > 17) return word("field-phone-too-long");
    },
    preferred_time: function (v, input) {
      if (!v) return word("field-time-missing");
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return word("field-time-format");
      var minute = v.slice(0, 16);
      if (input.min && minute < input.min) return word("field-time-past");
      if (input.max && minute > input.max) return word("field-time-too-far");
    },
    message: function (v) {
      if (CONTROL.test(v)) return word("field-control");
      if (length(v) > 5000) return word("field-message-too-long");
    },
    captcha_answer: function (v) {
      if (!v && !powDone()) return word("field-captcha-missing");
    }
  };

  function describe(input, ids) {
    var list = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
      return id && !/-error$/.test(id);
    });
    input.setAttribute("aria-describedby", list.concat(ids).join(" ").trim());
    if (!input.getAttribute("aria-describedby")) input.removeAttribute("aria-describedby");
  }

  function showError(input, message) {
    var id = input.name + "-error";
    var box = document.getElementById(id);
    var field = input.closest(".field, fieldset");
    if (!message) {
      if (box) box.remove();
      input.removeAttribute("aria-invalid");
      describe(input, []);
      if (field) field.classList.remove("has-error");
      return;
    }
    if (!box) {
      box = document.createElement("p");
      box.className = "field-error";
      box.id = id;
      input.insertAdjacentElement("afterend", box);
      var hint = document.getElementById(input.name + "-hint");
      if (hint && hint.parentNode === input.parentNode) hint.insertAdjacentElement("afterend", box);
    }
    box.textContent = "⚠ " + message;
    input.setAttribute("aria-invalid", "true");
    describe(input, [id]);
    if (field) field.classList.add("has-error");
  }

  function check(input) {
    var rule = rules[input.name];
    if (!rule) return null;
    var message = rule(input.value.trim(), input) || null;
    showError(input, message);
    return message;
  }

  function announce(text) {
    if (status) status.textContent = text;
  }

  // Validate a field when the visitor leaves it, and again as they fix it.
  Object.keys(rules).forEach(function (name) {
    var input = form.elements[name];
    if (!input) return;
    input.addEventListener("blur", function () {
      if (input.value !== "" || input.hasAttribute("aria-invalid")) check(input);
    });
    input.addEventListener("input", function () {
      if (input.hasAttribute("aria-invalid")) check(input);
    });
  });

  // --- CAPTCHA: refresh, listen, check before sending -------------------------------------
  var image = form.querySelector(".captcha-image");
  var token = form.elements.captcha_token;
  var answer = form.elements.captcha_answer;
  var refresh = form.querySelector(".captcha-refresh");
  var listen = form.querySelector(".captcha-audio");
  var refreshLabel = refresh ? refresh.textContent : "";
  var countdown = null;

  function waitBeforeRefresh(seconds) {
    var left = Math.max(1, seconds | 0);
    refresh.disabled = true;
    refresh.setAttribute("aria-disabled", "true");
    clearInterval(countdown);
    function tick() {
      refresh.textContent = word("js-new-picture-in", { seconds: left });
      if (left-- <= 0) {
        clearInterval(countdown);
        refresh.disabled = false;
        refresh.removeAttribute("aria-disabled");
        refresh.textContent = refreshLabel;
      }
    }
    tick();
    countdown = setInterval(tick, 1000);
    announce(word("js-new-picture-wait", { seconds: left }));
  }

  function newChallenge() {
    return fetch(form.dataset.captchaUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 429) {
          waitBeforeRefresh(parseInt(response.headers.get("Retry-After"), 10) || 60);
          return;
        }
        if (!response.ok) throw new Error("captcha " + response.status);
        return response.json().then(function (challenge) {
          token.value = challenge.token;
          image.src = challenge.image;
          if (listen) listen.dataset.audio = challenge.audio;
          answer.value = "";
          showError(answer, null);
          announce(word("js-new-picture-ready"));
        });
      });
  }

  if (refresh) {
    // A real button instead of the page-reload link.
    var button = document.createElement("button");
    button.type = "button";
    button.className = refresh.className;
    button.textContent = refreshLabel;
    refresh.replaceWith(button);
    refresh = button;
    refresh.addEventListener("click", function () {
      newChallenge().catch(function () {
        announce(word("js-new-picture-failed"));
      });
    });
  }

  if (listen) {
    var play = document.createElement("button");
    play.type = "button";
    play.className = listen.className;
    play.textContent = word("js-listen-button");
    play.setAttribute("aria-label", word("js-listen"));
    play.dataset.audio = listen.getAttribute("href");
    listen.replaceWith(play);
    listen = play;
    var sound = null;
    play.addEventListener("click", function () {
      if (sound) sound.pause();
      sound = new Audio(play.dataset.audio);
      sound.play().catch(function () {
        window.location.href = play.dataset.audio;
      });
      answer.focus();
    });
  }

  function verifyCaptcha() {
    return fetch(form.dataset.verifyUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ token: token.value, answer: answer.value.trim() })
    }).then(function (response) {
      // Anything but a clear "no" is for the server to decide.
      if (!response.ok) return true;
      return response.json().then(function (result) {
        return result.valid !== false;
      });
    }, function () {
      return true;
    });
  }

  // --- Submit ----------------------------------------------------------------------------
  // The visitor's own time zone and clock: the preferred time is meant in them.
  (function () {
    var zone = form.elements.time_zone;
    var when = form.elements.preferred_time;
    var browserZone = "";
    try { browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { browserZone = ""; }
    if (zone && browserZone && !form.querySelector(".field.has-error #time_zone")) {
      var known = false;
      for (var i = 0; i < zone.options.length; i++) if (zone.options[i].value === browserZone) known = true;
      if (!known) zone.add(new Option(browserZone.replace(/_/g, " "), browserZone), 0);
      zone.value = browserZone;
    }
    if (when) {
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      var wall = function (d) {
        return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
      };
      var now = new Date();
      when.min = wall(now);
      when.max = wall(new Date(now.getTime() + 365 * 24 * 3600 * 1000));
    }
  })();

  var checked = false;
  form.addEventListener("submit", function (event) {
    if (checked) return;
    if (form.dataset.pow === "solving") {
      // Almost there: send once the check is over (done, or failed and the picture is back).
      event.preventDefault();
      announce(word("js-pow-working"));
      form.addEventListener("pow", function resume() {
        if (form.dataset.pow === "solving") return;
        form.removeEventListener("pow", resume);
        form.requestSubmit ? form.requestSubmit() : form.submit();
      });
      return;
    }
    var first = null;
    var count = 0;
    Object.keys(rules).forEach(function (name) {
      var input = form.elements[name];
      if (input && check(input)) {
        count += 1;
        first = first || input;
      }
    });
    if (first) {
      event.preventDefault();
      announce(count === 1 ? word("js-check-one") : word("js-check-many", { count: count }));
      first.focus();
      return;
    }
    // The proof of work answers for the picture: sent as it is.
    if (powDone()) return;
    event.preventDefault();
    var submit = form.querySelector("[type=submit]");
    submit.disabled = true;
    verifyCaptcha().then(function (valid) {
      submit.disabled = false;
      if (!valid) {
        showError(answer, word("js-captcha-wrong"));
        announce(word("js-captcha-wrong-announced"));
        answer.focus();
        return;
      }
      checked = true;
      form.requestSubmit ? form.requestSubmit(submit) : form.submit();
    });
  });
})();
