/*
 * QIP Tracker behaviours. Loaded with `defer` after Bootstrap and htmx.
 *
 * Every page works without this file: it only adds conveniences. The Content Security
 * Policy allows scripts from our own origin only, so there are no inline scripts or
 * on* attributes anywhere; behaviour is attached here through data-attributes.
 *
 *   data-confirm="Message"  on a submit button or a <form>: ask before submitting.
 *   <form data-autosubmit>  submit when one of its <select>s is changed with the mouse
 *                           or by touch (the form keeps a visible submit button).
 *   <button data-print hidden>  print the page; revealed only when this script runs.
 *   [data-error-summary]    focused on page load so screen readers announce it; its
 *                           links move focus to the field.
 *   [data-nav-collapse] / [data-nav-toggler]  the header menu collapses on small screens
 *                           only once this script has run.
 *   htmx requests carry the CSRF token from <meta name="csrf-token">.
 *
 * See docs/frontend.md.
 */
(function () {
  "use strict";

  // --- CSRF for htmx -------------------------------------------------------------
  // Django checks X-CSRFToken on unsafe methods. The token is in a <meta> tag because
  // the CSRF cookie may be HttpOnly.
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var verb = (event.detail.verb || "get").toLowerCase();
    var token = csrfToken();
    if (verb !== "get" && token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  // --- data-confirm --------------------------------------------------------------
  // Listen in the capture phase on document so we run before htmx's own submit
  // handler on the form; stopping the event here means htmx never sees a cancelled
  // submit. For htmx requests not made by a form submit, use hx-confirm instead.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var submitter = event.submitter;
      var message =
        (submitter && submitter.getAttribute("data-confirm")) ||
        form.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  // --- data-autosubmit -----------------------------------------------------------
  // Submitting as soon as a value changes breaks WCAG 3.2.2 (On Input) for keyboard
  // users: in some browsers the arrow keys change a closed <select> one option at a
  // time, which would reload the page on every key press. So a change that follows an
  // arrow/Home/End/Page key is not auto-submitted; the user presses the form's submit
  // button (or Enter) as they would without JavaScript.
  var KEYS_THAT_CHANGE_SELECT = [
    "ArrowUp",
    "ArrowDown",
    "ArrowLeft",
    "ArrowRight",
    "Home",
    "End",
    "PageUp",
    "PageDown",
  ];

  function inAutosubmitForm(el) {
    return (
      el instanceof HTMLSelectElement &&
      el.form !== null &&
      el.form.hasAttribute("data-autosubmit")
    );
  }

  document.addEventListener("keydown", function (event) {
    if (inAutosubmitForm(event.target)) {
      var key = event.key || "";
      if (KEYS_THAT_CHANGE_SELECT.indexOf(key) !== -1 || key.length === 1) {
        event.target.setAttribute("data-changed-by-keyboard", "");
      }
    }
  });

  document.addEventListener("mousedown", function (event) {
    if (inAutosubmitForm(event.target)) {
      event.target.removeAttribute("data-changed-by-keyboard");
    }
  });

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!inAutosubmitForm(select)) {
      return;
    }
    if (select.hasAttribute("data-changed-by-keyboard")) {
      select.removeAttribute("data-changed-by-keyboard");
      return;
    }
    var form = select.form;
    if (typeof form.requestSubmit === "function") {
      // requestSubmit fires the submit event, so htmx (hx-get on the form) and
      // data-confirm still apply.
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  // --- data-print ----------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // --- Error summary -------------------------------------------------------------
  // Links point at #id_<field>. Following a fragment scrolls but does not focus the
  // input, and the input's label ends up above the top of the screen; fix both.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a") : null;
    if (!link) {
      return;
    }
    var href = link.getAttribute("href") || "";
    if (href.charAt(0) !== "#") {
      return;
    }
    var input = document.getElementById(decodeURIComponent(href.slice(1)));
    if (!input) {
      return;
    }
    event.preventDefault();
    var fieldset = input.closest("fieldset");
    var legend = fieldset ? fieldset.querySelector("legend") : null;
    var label = input.id ? document.querySelector('label[for="' + CSS.escape(input.id) + '"]') : null;
    var anchor = legend || label || input;
    anchor.scrollIntoView();
    input.focus({ preventScroll: true });
  });

  // --- Things to set up in the page and in every htmx swap -----------------------
  function init(root) {
    // Print buttons do nothing without JavaScript, so they ship hidden.
    root.querySelectorAll("[data-print][hidden]").forEach(function (button) {
      button.removeAttribute("hidden");
    });

    // Header menu: rendered open; collapse it behind the toggler only now that
    // Bootstrap's JavaScript is there to open it again.
    root.querySelectorAll("[data-nav-collapse]").forEach(function (menu) {
      if (window.bootstrap && !menu.classList.contains("collapse")) {
        menu.classList.add("collapse");
        document
          .querySelectorAll('[data-nav-toggler][aria-controls="' + menu.id + '"]')
          .forEach(function (toggler) {
            toggler.removeAttribute("hidden");
          });
      }
    });
  }

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  init(document);
  focusErrorSummary();

  // htmx fires htmx:load for each piece of swapped-in content (and once for <body>;
  // init is safe to run twice).
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
    var summary = event.target.querySelector && event.target.querySelector("[data-error-summary]");
    if (summary && event.target !== document.body) {
      summary.focus();
    }
  });
})();
