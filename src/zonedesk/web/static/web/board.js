// The pipeline board: drag a card onto another column (or press its "推进" button) to move it.
// Its words come from the page (<script id="ui-strings">), so it speaks the page's language.
// The server runs the stage gate; when something is missing, the dialog lists it as inputs and
// sends the values back with the same move. The page reloads only after the server has moved it.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) return;
  var dialog = document.getElementById("gate-dialog");
  var form = document.getElementById("gate-form");
  var inputsBox = document.getElementById("gate-inputs");
  var statusBox = document.getElementById("board-status");
  var pending = null;
  var t = JSON.parse(document.getElementById("ui-strings").textContent);  // the page's language

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function say(text) {
    statusBox.textContent = text;
    statusBox.hidden = false;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function inputFor(spec) {
    var label = el("label", {}, spec.label);
    var input;
    if (spec.type === "select") {
      input = el("select", { name: spec.name });
      input.appendChild(el("option", { value: "" }, t.choose));
      (spec.choices || []).forEach(function (c) { input.appendChild(el("option", { value: c[0] }, c[1])); });
    } else if (spec.type === "textarea") {
      input = el("textarea", { name: spec.name, rows: "2" });
    } else {
      input = el("input", { name: spec.name, type: spec.type === "number" ? "text" : spec.type });
      if (spec.type === "number") input.setAttribute("inputmode", "decimal");
    }
    input.setAttribute("data-field", spec.name);
    label.appendChild(input);
    return label;
  }

  function showGate(result) {
    document.getElementById("gate-message").textContent = result.message;
    inputsBox.textContent = "";
    var list = el("ul", { id: "gate-missing" });
    (result.missing || []).forEach(function (m) {
      var item = el("li", { "data-field": m.field }, m.label + (m.severity === "warning" ? t.warning : ""));
      list.appendChild(item);
      (m.inputs || []).forEach(function (spec) { inputsBox.appendChild(inputFor(spec)); });
    });
    inputsBox.insertBefore(list, inputsBox.firstChild);
    Object.keys(result.fields || {}).forEach(function (name) {
      if (result.missing) return;
      inputsBox.appendChild(el("p", { "class": "error" }, result.fields[name].join("；")));
    });
    document.getElementById("gate-form-link").href = result.form_url || "#";
    if (!dialog.open) dialog.showModal();
    var first = inputsBox.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  function send(body) {
    return fetch(board.dataset.moveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body)
    }).then(function (resp) { return resp.json().then(function (data) { return { status: resp.status, data: data }; }); });
  }

  // Every move carries the version the card was drawn with: a project someone changed since is
  // not moved (409 "stale_version"), and the page asks to be refreshed instead of opening the dialog.
  function move(projectId, toStage, extra) {
    var card = document.getElementById("card-" + projectId);
    var version = card ? parseInt(card.dataset.version, 10) : null;
    var body = Object.assign({}, extra || {}, { project: projectId, to_stage: toStage, version: version });
    pending = { project: projectId, to_stage: toStage };
    say(t.moving);
    return send(body).then(function (r) {
      if (r.data.ok) {
        if (dialog.open) dialog.close();
        say(r.data.message);
        window.location.reload();
        return;
      }
      say(r.data.message);
      if (r.data.code === "stale_version") {
        if (dialog.open) dialog.close();
        return;
      }
      if (r.status === 409 || r.data.fields) showGate(r.data);
    }).catch(function () { say(t.network_error); });
  }

  document.getElementById("gate-date").value = board.dataset.today;

  board.addEventListener("dragstart", function (e) {
    var card = e.target.closest(".card-item");
    if (!card) return;
    e.dataTransfer.setData("text/plain", card.dataset.project);
    e.dataTransfer.effectAllowed = "move";
    card.classList.add("dragging");
  });
  board.addEventListener("dragend", function (e) {
    var card = e.target.closest(".card-item");
    if (card) card.classList.remove("dragging");
  });
  board.querySelectorAll(".column").forEach(function (col) {
    col.addEventListener("dragover", function (e) { e.preventDefault(); col.classList.add("over"); });
    col.addEventListener("dragleave", function () { col.classList.remove("over"); });
    col.addEventListener("drop", function (e) {
      e.preventDefault();
      col.classList.remove("over");
      var id = e.dataTransfer.getData("text/plain");
      var card = document.getElementById("card-" + id);
      if (!id || !card || card.dataset.stage === col.dataset.stage) return;
      move(id, col.dataset.stage);
    });
  });
  board.addEventListener("click", function (e) {
    var button = e.target.closest(".move-next");
    if (!button) return;
    move(button.closest(".card-item").dataset.project, button.dataset.to);
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!pending) return;
    var extra = {};
    form.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.name && input.value !== "") extra[input.name] = input.value;
    });
    move(pending.project, pending.to_stage, extra);
  });
  document.getElementById("gate-cancel").addEventListener("click", function () {
    dialog.close();
    say(t.not_moved);
  });
})();
