// legalgraph lookup pages: typeahead for the search box, and sorting and filtering of tables.
// Everything works without this file; it only makes typing and browsing quicker.
(function () {
  "use strict";

  function typeahead(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) return;
    var items = [], active = -1, timer = null;

    function close() {
      list.hidden = true; list.textContent = ""; items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function lastWords(value) {
      // Complete the words after the last recognised part: offer completions of the tail.
      var words = value.trim().split(/\s+/);
      return words.slice(-2).join(" ");
    }
    function choose(item) {
      var words = input.value.trim().split(/\s+/);
      var tail = item.typed.split(/\s+/).length;
      words.splice(words.length - tail, tail, item.label);
      input.value = words.join(" ") + " ";
      close();
      input.focus();
    }
    function show(data, typed) {
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      items = data.map(function (d) { d.typed = typed; return d; });
      items.forEach(function (d, i) {
        var li = document.createElement("li");
        li.id = "q-opt-" + i;
        li.setAttribute("role", "option");
        li.textContent = d.label;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = d.kind + (d.matched ? " (" + d.matched + ")" : "");
        li.appendChild(kind);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(d); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    function fetchFor(typed) {
      var url = "/suggest?q=" + encodeURIComponent(typed);
      fetch(url).then(function (r) { return r.json(); }).then(function (data) {
        var now = input.value.trim();
        if (now.slice(-typed.length) === typed) show(data, typed); else close();
      }).catch(close);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var typed = lastWords(input.value);
      if (typed.length < 2) { close(); return; }
      timer = setTimeout(function () {
        // Prefer the last word alone when the last two words match nothing.
        fetch("/suggest?q=" + encodeURIComponent(typed)).then(function (r) { return r.json(); })
          .then(function (data) {
            if (lastWords(input.value) !== typed) return;  // the person typed on meanwhile
            if (data.length) { show(data, typed); return; }
            var one = typed.split(/\s+/).slice(-1)[0];
            if (one !== typed && one.length >= 2) fetchFor(one); else close();
          }).catch(close);
      }, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        Array.prototype.forEach.call(list.children, function (li, i) {
          li.setAttribute("aria-selected", i === active ? "true" : "false");
        });
        input.setAttribute("aria-activedescendant", "q-opt-" + active);
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault(); choose(items[active]);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function sortable(table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, column) {
      var link = th.querySelector("a");
      if (!link) return;
      link.addEventListener("click", function (e) {
        e.preventDefault();
        var descending = th.getAttribute("aria-sort") === "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        // A cell's data-sort (the rank of a control level) wins over its text.
        function value(row) {
          var cell = row.cells[column];
          var rank = cell.getAttribute("data-sort");
          if (rank !== null) return rank === "" ? "" : Number(rank);
          return cell.textContent.trim().toLowerCase();
        }
        rows.sort(function (a, b) {
          var x = value(a), y = value(b);
          if (x === "" && y !== "") return 1;
          if (x !== "" && y === "") return -1;
          return (x < y ? -1 : x > y ? 1 : 0) * (descending ? -1 : 1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
        var sort = new URL(link.href, window.location.href).searchParams.get("sort");
        var csv = document.getElementById("download-csv");
        if (csv && sort) {
          var url = new URL(csv.href, window.location.href);
          url.searchParams.set("sort", sort);
          csv.href = url.pathname + url.search;
        }
      });
    });
  }

  function filterable(input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    var count = document.getElementById("table-count");
    if (!table) return;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase(), shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var hit = !needle || row.textContent.toLowerCase().indexOf(needle) >= 0;
        row.hidden = !hit;
        if (hit) shown += 1;
      });
      if (count) count.textContent = shown + " shown. Select a column heading to sort.";
      // The download gives what is shown: the same filter, applied by the server.
      var csv = document.getElementById("download-csv");
      if (csv) {
        var url = new URL(csv.href, window.location.href);
        if (needle) url.searchParams.set("filter", input.value.trim());
        else url.searchParams.delete("filter");
        csv.href = url.pathname + url.search;
        csv.textContent = needle ? "Download CSV (" + shown + " shown)" : "Download CSV";
      }
    });
  }

  function mapHover(figure) {
    var line = figure.querySelector("#map-hover");
    if (!line) return;
    figure.querySelectorAll("path").forEach(function (path) {
      path.addEventListener("mouseenter", function () {
        var title = path.querySelector("title");
        if (title) line.textContent = title.textContent;
      });
      // The table under the map holds the same links for keyboards and screen readers.
      var href = path.getAttribute("data-href");
      if (href) path.addEventListener("click", function () { window.location.href = href; });
    });
  }

  document.querySelectorAll("figure.map").forEach(mapHover);
  document.querySelectorAll("input[role=combobox]").forEach(typeahead);
  document.querySelectorAll("table.sortable").forEach(sortable);
  document.querySelectorAll("input[data-filter-table]").forEach(filterable);
})();
