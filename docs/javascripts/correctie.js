// Wijknetwerken, de publieke site: "Klopt er iets niet op deze pagina?" onder elke pagina
// (buut/templates/partials/correctie.html). Twee klikken: openen, versturen. De melding gaat met POST naar
// api/feedback van de publieke site; in productie geeft nginx die door aan buut serve (buut/serve/correctie.py),
// en staat ze daarna op de werklijst van de redactie. Het formulier verschijnt alleen als de site meldingen
// kan ontvangen (GET api/feedback antwoordt: nginx doet dat zelf). Zonder (de site als bestanden geopend,
// mkdocs serve -f mkdocs.publiek.yml) blijft de zin staan dat versturen hier niet kan.
(function () {
  "use strict";

  function siteRoot() {
    return window.buutSiteRoot ? window.buutSiteRoot() : new URL(".", location.href);
  }

  function receives(response) {
    var type = response.headers.get("Content-Type") || "";
    return response.status === 204 || (response.ok && type.indexOf("application/json") === 0);
  }

  function correctie(details) {
    var form = details.querySelector("form");
    var off = details.querySelector("[data-buut-correctie-uit]");
    var status = details.querySelector(".buut-correctie__status");
    var text = form.querySelector("textarea");
    var organisation = form.querySelector("input[name=organisatie]");
    var button = form.querySelector("button[type=submit]");
    var pagina = details.getAttribute("data-buut-pagina") || "";

    function say(message, problem) {
      status.textContent = message;
      status.classList.toggle("buut-correctie__status--fout", !!problem);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var tekst = text.value.trim();
      if (!tekst) { say("Schrijf eerst in een paar woorden wat er niet klopt.", true); text.focus(); return; }
      button.disabled = true;
      say("Bezig met versturen…");
      fetch(new URL("api/feedback", siteRoot()).href, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ pagina: pagina, tekst: tekst, organisatie: organisation.value.trim() })
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          button.disabled = false;
          if (response.status === 201) {
            text.value = "";
            say(data.bericht || "Dank u wel. Uw melding is doorgegeven.");
            return;
          }
          say(data.fout || "Versturen lukte niet. Probeer het later opnieuw.", true);
          text.focus();
        });
      }, function () {
        button.disabled = false;
        say("Versturen lukte niet: de site is nu niet bereikbaar. Probeer het later opnieuw.", true);
      });
    });

    if (!window.fetch) return;
    fetch(new URL("api/feedback", siteRoot()).href, { headers: { Accept: "application/json" } })
      .then(function (response) {
        response.text().catch(function () { /* niets */ });
        if (!receives(response)) return;
        off.hidden = true;
        form.hidden = false;
      })
      .catch(function () { /* geen ontvanger: de zin dat versturen hier niet kan, blijft staan */ });
  }

  function start() {
    var details = document.querySelector("[data-buut-correctie]");
    if (details) correctie(details);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
