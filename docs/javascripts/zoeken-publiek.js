// Zoeken op de publieke site (Wijknetwerken), zonder server: het zoekvak in de kop zoekt in
// zoeken/index.json, dat `buut build` bij de site schrijft (buut/search/static.py). Daar staan de
// woordvormen, samenstellingen, synoniemen, afkortingen en spreektaal al in, zoals het zoeken van
// het intranet ze begrijpt; dit script zoekt alleen op, verbetert tikfouten en rangschikt.
// Elke tekst uit de index komt als tekst (textContent) op de pagina, nooit als HTML.
// Het zoekdeel (Zoeker) draait ook in node: benchmarks/search_public.py meet er de MRR@10 mee.
(function (global) {
  "use strict";

  var MAX_QUERY = 200;  // tekens, als op het intranet (buut/search/query.py)
  var PAGE = 10;  // resultaten per keer
  var PER_PAGE = 2;  // secties van één pagina vooraan; de rest komt achteraan
  var HEADING_BONUS = 2.5, HEADING_SHARE_BONUS = 1.8;  // als _rerank in buut/search/__init__.py
  var COMPOUND_WEIGHT = 0.5, PREFIX_WEIGHT = 0.6, MAX_PREFIX = 6;
  var WORD = /[\p{L}\p{N}_]+/gu;
  var OPTIONAL_LETTER = /\((\w{1,3})\)(?=\w)/g;  // (L)VB -> LVB

  // Kleine letters zonder accenten, teken voor teken (de posities in de tekst blijven kloppen).
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      out += ch.charCodeAt(0) < 128 ? ch.toLowerCase() : (ch.normalize("NFD")[0] || ch).toLowerCase().charAt(0);
    }
    return out;
  }

  function words(text) {
    return (fold(text).replace(OPTIONAL_LETTER, "$1").match(WORD) || []).filter(function (w) {
      return !/^\d$/.test(w);
    });
  }

  // Tikfouten: de afstand van Damerau-Levenshtein (een verwisseling telt als één), met een plafond.
  function distance(a, b, most) {
    if (Math.abs(a.length - b.length) > most) return most + 1;
    var before = null, previous = [], current;
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      current = [i];
      var lowest = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, before[j - 2] + 1);
        }
        current.push(value);
        lowest = Math.min(lowest, value);
      }
      if (lowest > most) return most + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  }

  function Zoeker(index) {
    this.secties = index.secties;
    this.postings = index.postings;
    this.woorden = index.woorden;
    this.samenstellingen = index.samenstellingen || {};
    this.uitbreidingen = index.uitbreidingen || {};
    this.stamzinnen = index.stamzinnen || {};
    this.stop = new Set(index.stopwoorden || []);
    this.forms = Object.keys(index.woorden).sort();
    this.longest = 1;
    for (var phrase in this.uitbreidingen) this.longest = Math.max(this.longest, phrase.split(" ").length);
    this.lookups = {};
  }

  // Hoe vaak een woord voorkomt (het aantal secties van zijn eerste stam): bij twee even goede
  // verbeteringen wint het gewone woord.
  Zoeker.prototype.frequency = function (form) {
    var stems = this.woorden[form] || [];
    return stems.length && this.postings[stems[0]] ? this.postings[stems[0]].length : 0;
  };

  // Het dichtstbijzijnde woord van de site voor een woord dat er niet in staat (of null).
  Zoeker.prototype.closest = function (word) {
    if (word.length < 4) return null;
    var most = word.length < 8 ? 1 : 2;
    var best = null, bestDistance = most + 1, bestFrequency = -1;
    for (var i = 0; i < this.forms.length; i++) {
      var form = this.forms[i];
      if (form[0] !== word[0] || Math.abs(form.length - word.length) > most) continue;
      var d = distance(word, form, most);
      var f = d <= most ? this.frequency(form) : 0;
      if (d < bestDistance || (d === bestDistance && d <= most && f > bestFrequency)) {
        best = form; bestDistance = d; bestFrequency = f;
      }
    }
    return bestDistance <= most ? best : null;
  };

  // Waar de vraag een synoniem, afkorting of woord uit de spreektaal bevat (in deze of een andere
  // woordvorm): begin -> [eind, zinsdeel].
  Zoeker.prototype.spans = function (tokens) {
    var self = this, found = {};
    var stemmed = tokens.map(function (token) { return (self.woorden[token] || []).join("+") || token; });
    for (var i = 0; i < tokens.length;) {
      var size = Math.min(this.longest, tokens.length - i), phrase = null;
      for (; size > 0 && phrase === null; size--) {
        phrase = own(this.uitbreidingen, tokens.slice(i, i + size).join(" ")) ? tokens.slice(i, i + size).join(" ")
          : own(this.stamzinnen, stemmed.slice(i, i + size).join(" ")) ? this.stamzinnen[stemmed.slice(i, i + size).join(" ")]
          : null;
      }
      if (phrase !== null) { found[i] = [i + size + 1, phrase]; i += size + 1; } else i++;
    }
    return found;
  };

  function own(table, key) { return Object.prototype.hasOwnProperty.call(table, key); }

  Zoeker.prototype.known = function (word) {
    return Object.prototype.hasOwnProperty.call(this.woorden, word) ||
      Object.prototype.hasOwnProperty.call(this.uitbreidingen, word);
  };

  // De vraag als groepen (één per betekenisvol woord of zinsdeel), elk met alternatieven [stammen, gewicht].
  Zoeker.prototype.plan = function (query) {
    var self = this;
    var tokens = words(query.slice(0, MAX_QUERY));
    var covered = this.spans(tokens);
    var inSpan = {};
    Object.keys(covered).forEach(function (start) {
      for (var i = +start; i < covered[start][0]; i++) inSpan[i] = true;
    });
    var corrected = false;
    var fixed = tokens.map(function (token, i) {
      if (inSpan[i] || self.stop.has(token) || token.length < 4 || self.known(token)) return token;
      var better = self.closest(token);
      if (better) { corrected = true; return better; }
      return token;
    });
    if (corrected) covered = this.spans(fixed);
    var groups = [];
    for (var i = 0; i < fixed.length;) {
      if (covered[i]) {
        this.uitbreidingen[covered[i][1]].forEach(function (group) { groups.push(group); });
        i = covered[i][0];
        continue;
      }
      var token = fixed[i++];
      if (this.stop.has(token)) continue;
      groups.push(this.group(token, i === fixed.length));
    }
    return { typed: fixed, groups: groups.slice(0, 12), corrected: corrected ? fixed.join(" ") : null };
  };

  Zoeker.prototype.group = function (token, last) {
    var self = this;
    var group = [[this.woorden[token] || [], 1]];
    var compounds = this.samenstellingen[token];
    if (compounds) {
      compounds[0].forEach(function (longer) { group.push([self.woorden[longer] || [], COMPOUND_WEIGHT]); });
      if (compounds[1].length === 2) {
        group.push([[].concat(this.woorden[compounds[1][0]] || [], this.woorden[compounds[1][1]] || []), COMPOUND_WEIGHT]);
      }
    }
    if (last && !this.woorden[token] && token.length >= 3) {  // nog aan het typen: "schuldh"
      var start = lowerBound(this.forms, token), taken = 0;
      for (var j = start; j < this.forms.length && taken < MAX_PREFIX && this.forms[j].indexOf(token) === 0; j++, taken++) {
        group.push([this.woorden[this.forms[j]], PREFIX_WEIGHT]);
      }
    }
    return group.filter(function (alternative) { return alternative[0].length; });
  };

  function lowerBound(list, value) {
    var low = 0, high = list.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (list[middle] < value) low = middle + 1; else high = middle;
    }
    return low;
  }

  // Sectie -> score voor één stam (uit de postings; per stam één keer uitgepakt).
  Zoeker.prototype.stem = function (stem) {
    var found = this.lookups[stem];
    if (!found) {
      found = new Map();
      var list = this.postings[stem] || [];
      for (var i = 0; i < list.length; i += 2) found.set(list[i], list[i + 1]);
      this.lookups[stem] = found;
    }
    return found;
  };

  // De secties bij een vraag, beste eerst: {query, corrected, message, total, results}.
  Zoeker.prototype.search = function (query, offset, n) {
    offset = offset || 0;
    n = n || PAGE;
    var self = this;
    var plan = this.plan(query);
    var answer = { query: query, corrected: plan.corrected, message: null, total: 0, offset: offset, results: [] };
    if (!plan.groups.length) {
      answer.message = "Typ een of meer woorden om te zoeken.";
      return answer;
    }
    var scores = new Map(), matched = new Map(), asked = new Set();
    plan.groups.forEach(function (group) {
      var best = new Map();
      group.forEach(function (alternative) {
        var stems = alternative[0], weight = alternative[1];
        stems.forEach(function (s) { asked.add(s); });
        self.stem(stems[0]).forEach(function (score, section) {
          var total = score;
          for (var k = 1; k < stems.length; k++) {
            var other = self.stem(stems[k]).get(section);
            if (other === undefined) return;
            total += other;
          }
          total *= weight;
          if (!(best.get(section) >= total)) best.set(section, total);
        });
      });
      best.forEach(function (score, section) {
        scores.set(section, (scores.get(section) || 0) + score);
        matched.set(section, (matched.get(section) || 0) + 1);
      });
    });
    var count = plan.groups.length;
    var ranked = [];
    scores.forEach(function (score, section) {
      var sectie = self.secties[section];
      var heading = sectie[5];
      score *= matched.get(section) / count;
      score *= sectie[4];
      if (heading.length && heading.every(function (s) { return asked.has(s); })) {
        score *= HEADING_BONUS;
      } else if (heading.length) {
        var said = plan.groups.filter(function (group) {
          return group.some(function (alternative) {
            return alternative[0].some(function (s) { return heading.indexOf(s) >= 0; });
          });
        }).length;
        score *= 1 + (HEADING_SHARE_BONUS - 1) * said / count;
      }
      ranked.push({ section: section, score: score, all: matched.get(section) === count });
    });
    ranked.sort(function (a, b) {
      return b.score - a.score || (self.secties[a.section][0] < self.secties[b.section][0] ? -1 : 1);
    });
    ranked = collapse(ranked, this.secties);
    answer.total = ranked.length;
    if (!ranked.length) answer.message = "Niets gevonden. Probeer andere of minder woorden.";
    else if (count > 1 && !ranked[0].all) {
      answer.message = "Geen resultaten met alle woorden; dit zijn resultaten met een deel ervan.";
    }
    answer.results = ranked.slice(offset, offset + n).map(function (hit) {
      var sectie = self.secties[hit.section];
      return { url: sectie[0], title: sectie[1], section: sectie[2], snippet: snippet(sectie[3], plan.typed) };
    });
    return answer;
  };

  // De beste twee secties van elke pagina eerst; verdere secties van die pagina achteraan.
  function collapse(ranked, secties) {
    var seen = {}, first = [], later = [];
    ranked.forEach(function (hit) {
      var page = secties[hit.section][0].split("#")[0];
      seen[page] = (seen[page] || 0) + 1;
      (seen[page] <= PER_PAGE ? first : later).push(hit);
    });
    return first.concat(later);
  }

  // Een stuk tekst rond het eerste woord van de vraag (de eerste zes letters), of het begin.
  function snippet(body, typed, width) {
    width = width || 220;
    var folded = fold(body), start = -1;
    typed.forEach(function (word) {
      var at = folded.indexOf(word.slice(0, 6));
      if (at >= 0 && (start < 0 || at < start)) start = at;
    });
    start = Math.max(0, start - 60);
    var text = body.slice(start, start + width);
    if (start > 0) text = "…" + text.slice(text.indexOf(" ") + 1);
    if (start + width < body.length) text = text.slice(0, text.lastIndexOf(" ")) + " …";
    return text;
  }

  global.BuutZoeker = Zoeker;
  if (typeof module !== "undefined" && module.exports) module.exports = { Zoeker: Zoeker, words: words };
  if (typeof document === "undefined") return;

  // --- het zoekvak in de kop ----------------------------------------------------------------------

  var SVG = "http://www.w3.org/2000/svg";
  var MAGNIFY = "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 " +
    "6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5Z";
  var BACK = "M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11h12Z";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function icon(path) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var shape = document.createElementNS(SVG, "path");
    shape.setAttribute("d", path);
    svg.appendChild(shape);
    return svg;
  }

  function siteRoot() {
    var base = ".";
    try { base = JSON.parse(document.getElementById("__config").textContent).base || "."; } catch (e) { /* standaard */ }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  // Het zoekvak in de vormgeving van het thema (dezelfde klassen), zodat het er net zo uitziet en
  // het knopje in de kop (buut.js maakt het met het toetsenbord bereikbaar) het opent.
  function build(header) {
    var button = element("label", "md-header__button md-icon");
    button.htmlFor = "__search";
    button.appendChild(icon(MAGNIFY));
    var dialog = element("div", "md-search buut-pzoek");
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-label", "Zoeken");
    var overlay = element("label", "md-search__overlay");
    overlay.htmlFor = "__search";
    var inner = element("div", "md-search__inner");
    inner.setAttribute("role", "search");
    var form = element("form", "md-search__form");
    var input = element("input", "md-search__input");
    input.type = "text";
    input.name = "vraag";
    input.placeholder = "Zoeken";
    input.setAttribute("aria-label", "Zoeken");
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("autocapitalize", "off");
    var back = element("label", "md-search__icon md-icon");
    back.htmlFor = "__search";
    back.appendChild(icon(MAGNIFY));
    back.appendChild(icon(BACK));
    form.appendChild(input);
    form.appendChild(back);
    var output = element("div", "md-search__output");
    var wrap = element("div", "md-search__scrollwrap");
    var box = element("div", "md-search-result buut-pzoek__resultaten");
    box.setAttribute("aria-live", "polite");
    wrap.appendChild(box);
    output.appendChild(wrap);
    inner.appendChild(form);
    inner.appendChild(output);
    dialog.appendChild(overlay);
    dialog.appendChild(inner);
    var before = header.querySelector(".md-header__source");
    header.insertBefore(button, before);
    header.insertBefore(dialog, before);
    return { dialog: dialog, form: form, input: input, box: box };
  }

  function start() {
    var header = document.querySelector(".md-header__inner");
    var toggle = document.getElementById("__search");
    var lijst = window.buutZoekLijst;
    if (!header || !toggle || !lijst || !window.fetch || document.querySelector(".md-search__input")) return;
    var parts = build(header);
    var input = parts.input, box = parts.box;
    var root = siteRoot();
    var loading = null, zoeker = null, timer = null, shown = 0;

    function load() {
      if (!loading) {
        loading = fetch(new URL("zoeken/index.json", root).href)
          .then(function (response) {
            if (!response.ok) throw new Error(String(response.status));
            return response.json();
          })
          .then(function (index) { zoeker = new Zoeker(index); return zoeker; });
        loading.catch(function () { loading = null; });
      }
      return loading;
    }

    // De lijst ziet eruit als die van het intranet (buut.js, dat eerder laadt, maakt de items).
    var counted = lijst.counted;
    function item(hit) { return lijst.item(hit, root); }

    function show(answer) {
      box.textContent = "";
      box.setAttribute("data-vraag", answer.query);  // which question the results answer (for tests)
      var meta = element("div", "md-search-result__meta");
      var lines = answer.message ? [answer.message] : [];
      shown = answer.results.length;
      var count = element("span", "", lines.concat(shown ? [counted(shown, answer.total)] : []).join(" "));
      meta.appendChild(count);
      if (answer.corrected) {
        var fix = element("button", "buut-zoek__correctie", "Bedoelde u: " + answer.corrected + "?");
        fix.type = "button";
        fix.addEventListener("click", function () {
          input.value = answer.corrected;
          ask();
          input.focus();
        });
        meta.appendChild(document.createTextNode(" "));
        meta.appendChild(fix);
      }
      box.appendChild(meta);
      var list = element("ol", "md-search-result__list");
      answer.results.forEach(function (hit) { list.appendChild(item(hit)); });
      box.appendChild(list);
      if (shown && shown < answer.total) {
        var more = element("button", "buut-zoek__meer md-button", "Volgende resultaten");
        more.type = "button";
        more.addEventListener("click", function () {
          var next = zoeker.search(answer.query, shown);
          next.results.forEach(function (hit) { list.appendChild(item(hit)); });
          var first = list.children[shown];
          shown += next.results.length;
          count.textContent = lines.concat([counted(shown, answer.total)]).join(" ");
          if (shown >= answer.total) more.remove();
          if (first) first.querySelector("a").focus();
        });
        box.appendChild(more);
      }
    }

    function ask() {
      var query = input.value.trim();
      if (!query) { box.textContent = ""; return; }
      load().then(function (ready) {
        if (input.value.trim() === query) show(ready.search(query));
      }).catch(function () {
        box.textContent = "";
        box.appendChild(element("div", "md-search-result__meta", "Zoeken lukt nu niet. Probeer het later opnieuw."));
      });
    }

    input.addEventListener("focus", function () { toggle.checked = true; load(); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 100);
    });
    parts.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = box.querySelector("a[href]");
      if (first) first.click();
    });
    // Toetsenbord: pijl omlaag en omhoog lopen door de resultaten; Escape sluit het zoekvak.
    document.addEventListener("keydown", function (event) {
      var active = document.activeElement;
      if (!toggle.checked || !(active === input || box.contains(active))) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        var stops = [input].concat(Array.prototype.slice.call(box.querySelectorAll("a[href], button")));
        var step = event.key === "ArrowDown" ? 1 : -1;
        stops[(stops.indexOf(active) + step + stops.length) % stops.length].focus();
      } else if (event.key === "Escape") {
        toggle.checked = false;
        input.blur();
      } else {
        return;
      }
      event.preventDefault();
    });
    box.addEventListener("click", function (event) {
      if (event.target.closest("a")) toggle.checked = false;
    });
    // Gaat de focus buiten het zoekvak (Tab verder, of een klik elders), dan gaat het dicht, zoals dat
    // van het thema: anders ligt de donkere laag over de pagina die je met Tab bereikt.
    var pressed = false;  // een klik in de resultaten (ook op tekst) laat het open
    parts.dialog.addEventListener("mousedown", function () { pressed = true; });
    document.addEventListener("mouseup", function () { pressed = false; });
    parts.dialog.addEventListener("focusout", function (event) {
      if (pressed || (event.relatedTarget && parts.dialog.contains(event.relatedTarget))) return;
      toggle.checked = false;
    });
  }

  start();
})(typeof window !== "undefined" ? window : globalThis);
