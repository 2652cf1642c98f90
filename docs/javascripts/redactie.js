// De pagina Redactie (buut/render/lifecycle.py: redactie_markdown). Bovenaan wat medewerkers stuurden, uit
// api/redactie: meldingen (elk met data-melding-id), "niet nuttig", zoekvragen zonder resultaat en
// kandidaten voor spreektaal, met Nederlandse datums. Draait BUUT met inloggen, dan geeft de API een
// controlecode mee (afhandelen.token) en krijgt elke melding een knop "Afgehandeld" (POST met die code). Daarboven filters op eigenaar en
// soort; die werken op alles met data-buut-eigenaar en data-buut-soort, ook op de open punten die al in de
// pagina staan. Zonder JavaScript is de pagina een gewone lijst: alles zichtbaar, per pagina ingeklapt.
(function () {
  "use strict";

  var MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december"];

  function datum(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? parseInt(m[3], 10) + " " + MAANDEN[parseInt(m[2], 10) - 1] + " " + m[1] : (iso || "");
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function siteRoot() {
    if (window.buutSiteRoot) return window.buutSiteRoot();
    return new URL("../", location.href);
  }

  function pageLink(url, title) {
    var a = element("a", title);
    a.href = new URL(url, siteRoot()).href;
    return a;
  }

  function eigenaarNaam(eigenaar) {
    var words = (eigenaar || "").replace(/[-_]/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  function part(container, title, items, tag, render) {
    container.appendChild(element("h3", title + " (" + items.length + ")"));
    if (!items.length) { container.appendChild(element("p", "Geen.")); return; }
    var listElement = element(tag, "", "buut-redactie__lijst");
    items.forEach(function (item) { listElement.appendChild(render(item)); });
    container.appendChild(listElement);
  }

  function handleButton(li, melding, afhandelen) {
    var button = element("button", "Afgehandeld", "md-button buut-afhandelen");
    button.type = "button";
    button.setAttribute("aria-label", "Melding " + melding.id + " afgehandeld");
    var status = element("span");
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch(new URL(afhandelen.pad, siteRoot()).href, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-BUUT-CSRF": afhandelen.token },
        body: JSON.stringify({ id: melding.id })
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) { li.classList.add("buut-afgehandeld"); button.remove(); status.textContent = " " + data.bericht; }
          else { button.disabled = false; status.textContent = " " + (data.fout || "Afhandelen lukte niet."); }
        });
      }, function () { button.disabled = false; status.textContent = " Afhandelen lukte niet: de server is niet bereikbaar."; });
    });
    li.appendChild(document.createTextNode(" "));
    li.appendChild(button);
    li.appendChild(status);
  }

  function show(container, lijst) {
    container.textContent = "";
    var meldingen = [], nietNuttig = [];
    lijst.eigenaren.forEach(function (owner) {
      owner.meldingen.forEach(function (m) { meldingen.push(m); });
      owner.niet_nuttig.forEach(function (w) { nietNuttig.push(w); });
    });
    meldingen.sort(function (a, b) { return a.dag < b.dag ? 1 : a.dag > b.dag ? -1 : b.id - a.id; });
    part(container, "Meldingen", meldingen, "ul", function (m) {
      var li = element("li", "", "buut-melding");
      li.setAttribute("data-melding-id", String(m.id));
      li.setAttribute("data-buut-eigenaar", m.eigenaar);
      li.setAttribute("data-buut-soort", "melding");
      li.appendChild(element("strong", datum(m.dag)));
      li.appendChild(document.createTextNode(", nummer " + m.id + ", "));
      li.appendChild(pageLink(m.pagina, m.titel));
      li.appendChild(document.createTextNode(" (" + eigenaarNaam(m.eigenaar) + ")" +
        (m.soort === "niet-nuttig" ? ", niet nuttig" : "")));
      if (m.herkomst) {  // a partner's report from the public site (buut/serve/correctie.py)
        li.setAttribute("data-buut-herkomst", m.bron);
        li.appendChild(document.createTextNode(", "));
        li.appendChild(element("em", m.herkomst + (m.organisatie ? " (" + m.organisatie + ")" : ""), "buut-herkomst"));
      }
      li.appendChild(document.createTextNode(": " + m.tekst));
      if (lijst.afhandelen) handleButton(li, m, lijst.afhandelen);
      return li;
    });
    part(container, "Niet nuttig", nietNuttig, "ul", function (w) {
      var li = element("li");
      li.setAttribute("data-buut-eigenaar", w.eigenaar);
      li.setAttribute("data-buut-soort", "niet nuttig");
      li.appendChild(pageLink(w.pagina, w.titel));
      li.appendChild(document.createTextNode(" (" + eigenaarNaam(w.eigenaar) + "): " + w.niet_nuttig +
        "× niet nuttig, " + w.nuttig + "× nuttig"));
      return li;
    });
    part(container, "Zoekvragen zonder volledig resultaat", lijst.zoekvragen, "ol", function (q) {
      var li = element("li", "\u201c" + q.vraag + "\u201d: " + q.aantal + "× (laatst op " + datum(q.laatst) + ")");
      li.setAttribute("data-buut-soort", "zoekvraag");
      return li;
    });
    part(container, "Kandidaten voor spreektaal", lijst.spreektaal || [], "ul", function (k) {
      var li = element("li", "\u201c" + k.woord + "\u201d (" + k.aantal + "×, " + k.waarom + ")");
      li.setAttribute("data-buut-soort", "spreektaal");
      if (k.pagina) {
        li.appendChild(document.createTextNode(" → "));
        li.appendChild(pageLink(k.pagina, k.titel));
      }
      return li;
    });
  }

  // --- filters ------------------------------------------------------------------------------------

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("article li[data-buut-soort]"));
  }

  function ownerOf(node) {
    var holder = node.closest("[data-buut-eigenaar]");
    return holder ? holder.getAttribute("data-buut-eigenaar") : "";
  }

  function options(select, values, label) {
    var current = select.value;
    select.textContent = "";
    select.appendChild(new Option(label, ""));
    values.forEach(function (value) { select.appendChild(new Option(value[1], value[0])); });
    select.value = values.some(function (v) { return v[0] === current; }) ? current : "";
  }

  function filters(place) {
    var form = element("form", "", "buut-filters");
    form.setAttribute("aria-label", "Werklijst filteren");
    var owner = element("select"), kind = element("select");
    owner.id = "buut-filter-eigenaar";
    kind.id = "buut-filter-soort";
    [["Eigenaar", owner], ["Soort", kind]].forEach(function (pair) {
      var label = element("label", pair[0] + " ");
      label.htmlFor = pair[1].id;
      var field = element("span", "", "buut-filters__veld");
      field.appendChild(label);
      field.appendChild(pair[1]);
      form.appendChild(field);
    });
    var count = element("p", "", "buut-filters__telling");
    count.setAttribute("aria-live", "polite");
    form.appendChild(count);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    place.appendChild(form);

    function refresh() {
      var owners = {}, kinds = {};
      items().forEach(function (li) {
        var o = ownerOf(li);
        if (o) owners[o] = true;
        kinds[li.getAttribute("data-buut-soort")] = true;
      });
      options(owner, Object.keys(owners).sort().map(function (o) { return [o, eigenaarNaam(o)]; }), "Alle eigenaren");
      options(kind, Object.keys(kinds).sort().map(function (k) { return [k, k]; }), "Alle soorten");
      apply();
    }

    function apply() {
      var wantOwner = owner.value, wantKind = kind.value, shown = 0;
      items().forEach(function (li) {
        var o = ownerOf(li);
        var visible = (!wantOwner || o === wantOwner || (!o && !wantKind)) &&
          (!wantKind || li.getAttribute("data-buut-soort") === wantKind);
        if (!o && wantOwner) visible = false;  // a search has no owner
        li.hidden = !visible;
        if (visible) shown += 1;
      });
      document.querySelectorAll("article details[data-buut-eigenaar]").forEach(function (details) {
        details.hidden = !details.querySelector("li[data-buut-soort]:not([hidden])");
      });
      document.querySelectorAll("article h3[data-buut-eigenaar]").forEach(function (heading) {
        var o = heading.getAttribute("data-buut-eigenaar");
        heading.hidden = !document.querySelector('article details[data-buut-eigenaar="' + o + '"]:not([hidden])');
      });
      count.textContent = (wantOwner || wantKind) ? shown + " van " + items().length + " punten zichtbaar" : "";
    }

    owner.addEventListener("change", apply);
    kind.addEventListener("change", apply);
    refresh();
    return refresh;
  }

  function start() {
    var board = document.querySelector("[data-buut-redactie]");
    var place = document.querySelector("[data-buut-redactie-filters]");
    if (!board && !place) return;
    var refresh = place ? filters(place) : function () {};
    if (!board || !window.fetch) return;
    fetch(new URL("api/redactie", siteRoot()).href, { headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        return response.ok && type.indexOf("application/json") === 0 ? response.json() : null;
      })
      .then(function (lijst) {
        if (!lijst) return;
        show(board, lijst);
        refresh();
      })
      .catch(function () { /* geen API: de uitleg op de pagina blijft staan */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
