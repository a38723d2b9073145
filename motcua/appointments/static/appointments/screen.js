// The waiting room's screen: poll the desk's small JSON every few seconds and redraw the
// numbers being served (docs/appointments.md "Desk queue"). No personal data travels here.
(function () {
  "use strict";
  var body = document.body;
  var source = body.getAttribute("data-source");
  var every = Math.max(parseInt(body.getAttribute("data-every"), 10) || 5, 2) * 1000;

  function cell(text, cls) {
    var td = document.createElement("td");
    td.className = cls;
    td.textContent = text;
    return td;
  }

  function draw(data) {
    var rows = document.getElementById("serving");
    while (rows.firstChild) rows.removeChild(rows.firstChild);
    if (!data.serving.length) {
      rows.appendChild(document.getElementById("empty-row").content.cloneNode(true));
    }
    data.serving.forEach(function (row, i) {
      var tr = document.createElement("tr");
      if (i === 0) tr.className = "latest";
      tr.appendChild(cell(row.number, "num"));
      tr.appendChild(cell(row.counter, "counter"));
      rows.appendChild(tr);
    });
    document.getElementById("waiting").textContent = data.waiting;
    document.getElementById("updated").textContent = data.updated;
  }

  function poll() {
    fetch(source, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) draw(data); })
      .catch(function () { /* the network is back at the next tick */ })
      .then(function () { setTimeout(poll, every); });
  }
  setTimeout(poll, every);
})();
