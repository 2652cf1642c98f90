// BUUT: kleine verbeteringen bovenop de statische site. Zonder JavaScript werkt alles ook.
// Filter: een tabel in <div data-buut-filter> krijgt keuzelijsten per kolom die gefilterd kan worden
// (alle kolommen behalve de eerste); rijen die niet passen, worden verborgen.
(function () {
  "use strict";

  function filterTable(container) {
    var table = container.querySelector("table");
    if (!table || container.dataset.buutReady) return;
    container.dataset.buutReady = "1";
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var form = document.createElement("form");
    form.className = "buut-filter-form";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter de tabel");
    var selects = [];
    headers.forEach(function (name, column) {
      if (column === 0) return;
      var values = {};
      rows.forEach(function (row) {
        row.cells[column].textContent.split(",").forEach(function (v) {
          v = v.trim();
          if (v) values[v] = true;
        });
      });
      var id = "buut-filter-" + column;
      var label = document.createElement("label");
      label.setAttribute("for", id);
      label.textContent = name + " ";
      var select = document.createElement("select");
      select.id = id;
      select.dataset.column = column;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "alle";
      select.appendChild(all);
      Object.keys(values).sort().forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v;
        select.appendChild(option);
      });
      label.appendChild(select);
      form.appendChild(label);
      selects.push(select);
    });
    var status = document.createElement("p");
    status.className = "buut-filter-status";
    status.setAttribute("aria-live", "polite");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = selects.every(function (select) {
          if (!select.value) return true;
          var cell = row.cells[Number(select.dataset.column)].textContent;
          return cell.split(",").map(function (v) { return v.trim(); }).indexOf(select.value) >= 0;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = shown + " van " + rows.length + " getoond";
    }
    form.addEventListener("change", apply);
    container.insertBefore(form, container.firstChild);
    container.insertBefore(status, form.nextSibling);
    apply();
  }

  function init() {
    document.querySelectorAll("[data-buut-filter]").forEach(filterTable);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Knoppen in de kop: Material opent het menu en het zoekvak met een <label>, dat je met het toetsenbord
// niet bereikt. Op een smal scherm (of ingezoomd) zijn dat de enige wegen naar menu en zoeken: ze worden
// knoppen met een naam (WCAG 2.1.1, 4.1.2). Enter op een label handelt Material zelf af, de spatie niet.
// Na het openen staat de focus in het menu of in het zoekvak; Escape sluit het menu weer.
(function () {
  "use strict";

  var names = { __drawer: "Menu", __search: "Zoeken" };
  var opened = {
    __drawer: function () {
      var nav = document.querySelector(".md-sidebar--primary .md-nav--primary");
      if (!nav) return;
      nav.tabIndex = -1;  // de volgende Tab gaat naar de eerste link van het zichtbare paneel
      nav.focus();
    },
    __search: function () {
      var input = document.querySelector(".md-search__input");
      if (input) input.focus();
    }
  };

  function init() {
    document.querySelectorAll("label.md-header__button[for]").forEach(function (label) {
      var name = names[label.htmlFor];
      if (!name) return;
      label.tabIndex = 0;
      label.setAttribute("role", "button");
      label.setAttribute("aria-label", name);
      label.addEventListener("keydown", function (event) {
        if (event.key !== " ") return;
        event.preventDefault();
        label.click();
      });
      label.addEventListener("click", function () {
        setTimeout(function () {
          var toggle = document.getElementById(label.htmlFor);
          if (toggle && toggle.checked) opened[label.htmlFor]();
        }, 0);
      });
    });
    document.addEventListener("keydown", function (event) {
      var drawer = document.getElementById("__drawer");
      if (event.key !== "Escape" || !drawer || !drawer.checked) return;
      drawer.checked = false;
      var button = document.querySelector("label.md-header__button[for=__drawer]");
      if (button) button.focus();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Brede tabellen: Material zet elke tabel in een schuifvlak (.md-typeset__scrollwrap). Schuift dat
// vlak (op een smal scherm), dan moet het ook met het toetsenbord te bereiken zijn (WCAG 2.1.1):
// het krijgt dan een tabstop, de rol "region" en een naam.
(function () {
  "use strict";

  function nameOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (var node = wrap.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) return "Tabel: " + node.textContent.replace(/¶$/, "").trim();
    }
    return "Tabel";
  }

  function mark() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", nameOf(wrap));
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  // Material zet de schuifvlakken zelf neer; document$ meldt wanneer een pagina klaar is.
  if (window.document$) window.document$.subscribe(mark);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("resize", mark);
})();

// Zoeken: als de server van BUUT de zoek-API heeft (GET api/zoek?q=…), toont het zoekvak de
// resultaten van BUUT (met de begrippenlijst, samenstellingen en "Bedoelde u …?"). Zonder API
// (een statische kopie, de publieke site, `mkdocs serve`) blijft de ingebouwde zoekfunctie werken.
(function () {
  "use strict";

  // Het adres van de site (ook als die in een submap staat); de blokken hieronder gebruiken dit ook.
  window.buutSiteRoot = function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) { /* standaard */ }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  };
  var siteRoot = window.buutSiteRoot;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Eerlijk tellen: "3 resultaten" als dat alles is, anders "eerste 10 van 57" en een knop voor de volgende.
  function counted(shown, total) {
    if (shown >= total) return shown + (shown === 1 ? " resultaat" : " resultaten");
    return "eerste " + shown + " van " + total;
  }
  // Eén resultaat (titel › kop, en een stuk tekst), alles als tekst.
  function resultItem(hit, root) {
    var item = element("li", "md-search-result__item");
    var link = element("a", "md-search-result__link");
    link.href = new URL(hit.url, root).href;
    var article = element("article", "md-search-result__article md-typeset");
    article.appendChild(element("h1", "", hit.section ? hit.title + " › " + hit.section : hit.title));
    article.appendChild(element("p", "", hit.snippet));
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }
  // Ook voor het zoeken van de publieke site (zoeken-publiek.js), dat dezelfde lijst toont.
  window.buutZoekLijst = { counted: counted, item: resultItem };

  function start() {
    var input = document.querySelector(".md-search__input");
    var wrap = document.querySelector(".md-search__scrollwrap");
    if (!input || !wrap || !window.fetch) return;
    var root = siteRoot();
    var api = new URL("api/zoek", root);
    fetch(api.href + "?q=", { headers: { Accept: "application/json" } }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      // Lees het antwoord uit: een ongelezen antwoord (no-store) laat het verzoek openstaan.
      response.text().catch(function () { /* niets */ });
      if (!response.ok || type.indexOf("application/json") !== 0) return;
      document.body.classList.add("buut-api-zoeken");
      var box = element("div", "buut-zoek md-search-result");
      box.setAttribute("aria-live", "polite");
      wrap.insertBefore(box, wrap.firstChild);
      var timer = null;
      var latest = 0;
      var SOORT = { voorziening: "Voorziening", partner: "Partner", begrip: "Begrip" };
      // Een antwoordkaart: wat de zoekvraag duidelijk noemt (een voorziening, partner of begrip), als eerste
      // resultaat, met de kerngegevens als lijst van label en tekst. De hele kaart is de link naar de pagina,
      // net als de andere resultaten (en dus ook met de pijltjes en Enter te bereiken).
      function card(data) {
        var item = element("li", "md-search-result__item buut-kaart");
        var link = element("a", "md-search-result__link");
        link.href = new URL(data.url, root).href;
        var article = element("article", "md-search-result__article md-typeset");
        article.appendChild(element("p", "buut-kaart__soort", SOORT[data.soort] || data.soort));
        article.appendChild(element("h1", "buut-kaart__titel", data.titel));
        var fields = element("dl", "buut-kaart__velden");
        (data.velden || []).forEach(function (veld) {
          fields.appendChild(element("dt", "", veld.label));
          fields.appendChild(element("dd", "", veld.tekst));
        });
        article.appendChild(fields);
        link.appendChild(article);
        item.appendChild(link);
        return item;
      }
      function hitItem(hit) { return resultItem(hit, root); }
      function show(answer) {
        box.textContent = "";
        var meta = element("div", "md-search-result__meta buut-zoek__meta");
        var lines = [];
        (answer.hints || []).forEach(function (hint) { lines.push(hint + "."); });
        if (answer.message) lines.push(answer.message);
        var total = answer.total || answer.results.length;
        meta.textContent = lines.concat(answer.results.length ? [counted(answer.results.length, total)] : []).join(" ");
        if (answer.corrected) {
          var button = element("button", "buut-zoek__correctie", "Bedoelde u: " + answer.corrected + "?");
          button.type = "button";
          button.addEventListener("click", function () {
            input.value = answer.corrected;
            input.dispatchEvent(new Event("input", { bubbles: true }));
            input.focus();
          });
          meta.appendChild(document.createTextNode(" "));
          meta.appendChild(button);
        }
        box.appendChild(meta);
        var list = element("ol", "md-search-result__list");
        if (answer.card) list.appendChild(card(answer.card));
        answer.results.forEach(function (hit) { list.appendChild(hitItem(hit)); });
        box.appendChild(list);
        var shown = answer.results.length;
        if (shown && shown < total) {
          var more = element("button", "buut-zoek__meer md-button", "Volgende resultaten");
          more.type = "button";
          more.addEventListener("click", function () {
            var ticket = latest;
            fetch(api.href + "?q=" + encodeURIComponent(answer.query) + "&vanaf=" + shown,
                  { headers: { Accept: "application/json" } })
              .then(function (r) { return r.json(); })
              .then(function (next) {
                if (ticket !== latest) return;
                next.results.forEach(function (hit) { list.appendChild(hitItem(hit)); });
                shown += next.results.length;
                meta.firstChild.textContent = lines.concat([counted(shown, total)]).join(" ");
                if (shown >= total || !next.results.length) more.remove();
                var first = list.children[list.children.length - next.results.length];
                if (first) first.querySelector("a").focus();
              });
          });
          box.appendChild(more);
        }
      }
      function ask() {
        var query = input.value.trim();
        if (!query) { box.textContent = ""; return; }
        var ticket = ++latest;
        fetch(api.href + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (answer) { if (ticket === latest) show(answer); })
          .catch(function () {
            // De API viel weg: terug naar de ingebouwde zoekfunctie.
            document.body.classList.remove("buut-api-zoeken");
          });
      }
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(ask, 150);
      });
      // Toetsenbord: pijl omlaag en omhoog lopen door de resultaten, Enter in het zoekvak opent het eerste.
      // Material doet dat alleen voor zijn eigen (hier verborgen) lijst: deze toetsen handelen we eerder af.
      document.addEventListener("keydown", function (event) {
        var active = document.activeElement;
        if (!document.body.classList.contains("buut-api-zoeken") || !(active === input || box.contains(active))) return;
        var stops = [input].concat(Array.prototype.slice.call(box.querySelectorAll("a[href], button")));
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          var step = event.key === "ArrowDown" ? 1 : -1;
          stops[(stops.indexOf(active) + step + stops.length) % stops.length].focus();
        } else if (event.key === "Enter" && active === input) {
          var first = box.querySelector("a[href]");
          if (first) first.click();
        } else {
          return;
        }
        event.preventDefault();
        event.stopPropagation();
      }, true);
      box.addEventListener("click", function (event) {
        if (event.target.closest("a")) document.getElementById("__search").checked = false;
      });
      if (input.value) ask();
    }).catch(function () { /* geen API: de ingebouwde zoekfunctie blijft */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// Feedback: "Was deze pagina nuttig?" en "Meld een fout of aanvulling" onder elke pagina van het intranet
// (buut/templates/partials/feedback.html). Het formulier verschijnt alleen als de server van BUUT de
// feedback-API heeft; een statische kopie van de site toont niets dat niet kan versturen.
// De zoekvraag waar iemand op uitkomt (na een pauze, of Enter) gaat naar api/zoekvraag: de server zoekt
// hem opnieuw en telt hem alleen als er geen volledig resultaat is, zodat de redactie ziet wat er mist.
// De pagina Redactie heeft een eigen script (redactie.js).
(function () {
  "use strict";

  var siteRoot = window.buutSiteRoot;

  function post(path, body) {
    return fetch(new URL(path, siteRoot()).href, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function feedback(form) {
    var status = form.querySelector(".buut-feedback__status");
    var open = form.querySelector(".buut-feedback__open");
    var panel = form.querySelector(".buut-feedback__melding");
    var text = form.querySelector("textarea");
    var label = panel.querySelector("label");
    var question = label.textContent;
    var pagina = form.getAttribute("data-pagina");

    function say(message, problem) {
      status.textContent = message;
      status.classList.toggle("buut-feedback__status--fout", !!problem);
    }
    function showPanel(title) {
      panel.hidden = false;
      open.setAttribute("aria-expanded", "true");
      label.textContent = title || question;
      text.focus();
    }
    function send(soort, tekst) {
      say("Bezig met versturen…");
      return post("api/feedback", { pagina: pagina, soort: soort, tekst: tekst || "" }).then(function (answer) {
        if (answer.status === 201) { say(answer.data.bericht || "Dank je wel!"); return true; }
        say(answer.data.fout || "Versturen lukte niet. Probeer het later opnieuw.", true);
        return false;
      }, function () {
        say("Versturen lukte niet: de server is niet bereikbaar.", true);
        return false;
      });
    }

    // One vote per page per browser: the choice is kept in localStorage (no cookie, nothing sent but the
    // vote itself) and shown on the pressed button. The buttons stay enabled so the keyboard focus stays
    // where it was (a disabled button drops it to the top of the page); a second press only says so.
    var votes = form.querySelectorAll("[data-soort]");
    var key = "buut-stem:" + pagina;
    var WORD = { "nuttig": "Ja", "niet-nuttig": "Nee" };
    function remembered() {
      try { return window.localStorage.getItem(key); } catch (e) { return null; }
    }
    function remember(soort) {
      try { window.localStorage.setItem(key, soort); } catch (e) { /* private mode: the server still counts */ }
    }
    function show(soort) {
      votes.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-soort") === soort)); });
    }
    if (WORD[remembered()]) {
      show(remembered());
      say("Je antwoord op deze pagina: " + WORD[remembered()] + ".");
    }
    votes.forEach(function (button) {
      button.addEventListener("click", function () {
        var soort = button.getAttribute("data-soort");
        var earlier = remembered();
        if (WORD[earlier]) {
          say("Je hebt al geantwoord op deze pagina: " + WORD[earlier] + ". Je stem telt één keer.");
          return;
        }
        send(soort).then(function (sent) {
          if (!sent) return;
          remember(soort);
          show(soort);
          say("Je antwoord: " + WORD[soort] + ". Dank je wel!");
          if (soort === "niet-nuttig") {
            showPanel("Wat miste je op deze pagina? (Je kunt dit ook leeg laten.)");
            say("Je antwoord: Nee. Dank je wel. Wil je vertellen wat je miste?");
          }
        });
      });
    });
    open.addEventListener("click", function () {
      if (panel.hidden) { showPanel(); } else { panel.hidden = true; open.setAttribute("aria-expanded", "false"); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var tekst = text.value.trim();
      if (!tekst) { say("Schrijf eerst in een paar woorden wat er niet klopt of wat je mist.", true); text.focus(); return; }
      send("melding", tekst).then(function (sent) {
        if (!sent) { text.focus(); return; }
        text.value = "";
        panel.hidden = true;
        open.setAttribute("aria-expanded", "false");
        open.focus();
      });
    });
    form.hidden = false;
  }

  function searches() {
    var input = document.querySelector(".md-search__input");
    if (!input) return;
    var timer = null;
    var reported = {};
    function report() {
      var vraag = input.value.trim();
      if (!vraag || reported[vraag.toLowerCase()] || !document.body.classList.contains("buut-api-zoeken")) return;
      reported[vraag.toLowerCase()] = true;
      post("api/zoekvraag", { vraag: vraag }).catch(function () { /* niet erg: alleen voor de redactie */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(report, 2000);
    });
    // Enter in the search box opens the first result (see above); this listener runs before that one.
    window.addEventListener("keydown", function (event) { if (event.key === "Enter" && event.target === input) report(); }, true);
    // Een gekozen resultaat dat niet het eerste was: de redactie krijgt de zoekvraag als kandidaat voor
    // spreektaal bij die pagina. Alleen de zoekvraag, de pagina en de plaats; geen gegevens over jou.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".buut-zoek a.md-search-result__link");
      var vraag = input.value.trim();
      if (!link || !vraag) return;
      var links = Array.prototype.slice.call(document.querySelectorAll(".buut-zoek a.md-search-result__link"));
      var root = siteRoot().href;
      if (link.href.indexOf(root) !== 0) return;
      post("api/zoekkeuze", { vraag: vraag, pagina: link.href.slice(root.length), positie: links.indexOf(link) + 1 })
        .catch(function () { /* niet erg: alleen voor de redactie */ });
    }, true);
  }

  function start() {
    var form = document.querySelector("[data-buut-feedback]");
    if (!window.fetch) return;
    fetch(new URL("api/feedback", siteRoot()).href, { headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        response.text().catch(function () { /* niets */ });
        if (!response.ok || type.indexOf("application/json") !== 0) return;
        if (form) feedback(form);
        searches();
      })
      .catch(function () { /* geen API */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// Print: a page with <div data-buut-print> (the werkkader as one document) gets a button that opens the
// browser's print dialog (print or save as PDF). Every link that leaves the page gets its full address in
// data-buut-adres, which the print stylesheet (buut.css, @media print) prints after the link text; links
// to a place on the page itself (#…) stay links.
(function () {
  "use strict";

  function init() {
    var box = document.querySelector("[data-buut-print]");
    if (!box) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button md-button--primary buut-print-knop";
    button.textContent = "Print of bewaar als PDF";
    button.addEventListener("click", function () { window.print(); });
    box.insertBefore(button, box.firstChild);
    var article = document.querySelector(".md-content article");
    if (!article) return;
    article.querySelectorAll("a[href]").forEach(function (link) {
      var href = link.getAttribute("href");
      if (href.charAt(0) === "#" || link.classList.contains("headerlink")) return;
      link.setAttribute("data-buut-adres", link.href);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Startpagina: <div data-buut-startzoek> wordt een zoekvak midden op de pagina (zoeken komt eerst). De vraag
// gaat naar het zoekvak van de kop, dat de resultaten toont (de zoek-API van BUUT, of anders de ingebouwde
// zoekfunctie). Zonder JavaScript blijft de tekst die naar het zoekvak bovenaan wijst.
(function () {
  "use strict";

  function init() {
    var box = document.querySelector("[data-buut-startzoek]");
    var header = document.querySelector("input.md-search__input");
    var toggle = document.getElementById("__search");
    if (!box || !header || !toggle) return;
    var form = document.createElement("form");
    form.className = "buut-startzoek__form";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Zoek op het intranet");
    var label = document.createElement("label");
    label.htmlFor = "buut-startzoek-vraag";
    label.textContent = "Waar zoek je naar?";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "buut-startzoek-vraag";
    input.autocomplete = "off";
    input.setAttribute("aria-describedby", "buut-startzoek-voorbeeld");
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "md-button md-button--primary";
    button.textContent = "Zoeken";
    var example = document.createElement("p");
    example.id = "buut-startzoek-voorbeeld";
    example.textContent = "Bijvoorbeeld: pgb aanvragen, of wie beslist over dagbesteding.";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = input.value.trim();
      if (!query) { input.focus(); return; }
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
      header.value = query;
      header.focus();
      header.dispatchEvent(new Event("input", { bubbles: true }));
      header.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: query.slice(-1) }));
    });
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(button);
    box.textContent = "";
    box.appendChild(form);
    box.appendChild(example);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
