/*
 * The owner's update form: show the recovery questions only when "Off track" is chosen.
 *
 *   <div data-reveal-when="rag" data-reveal-value="off_track"> … </div>
 *
 * Without JavaScript the questions are always visible, with a hint saying when they are
 * needed. If a question inside has an error, or already has an answer, it stays visible.
 */
(function () {
  "use strict";

  function chosen(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }

  function hasContent(block) {
    if (block.querySelector(".is-invalid")) {
      return true;
    }
    var fields = block.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value) {
        return true;
      }
    }
    return false;
  }

  function update(block) {
    var form = block.closest("form");
    if (!form) {
      return;
    }
    var show =
      chosen(form, block.getAttribute("data-reveal-when")) ===
        block.getAttribute("data-reveal-value") || hasContent(block);
    block.hidden = !show;
  }

  function init(root) {
    root.querySelectorAll("[data-reveal-when]").forEach(function (block) {
      block.classList.add("qip-reveal--enhanced");
      update(block);
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form) {
      return;
    }
    form.querySelectorAll("[data-reveal-when]").forEach(function (block) {
      if (block.getAttribute("data-reveal-when") === event.target.name) {
        update(block);
      }
    });
  });

  init(document);
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
})();
