-- Results chosen from the search box that were not the first result: what people searched for
-- and which page they meant. The editors' worklist proposes such searches as everyday words
-- (`spreektaal`). Like zoekvraag: no IP address, user, browser or time of day.
CREATE TABLE zoekkeuze (
    vraag TEXT NOT NULL,             -- normalised like zoekvraag.vraag
    pagina TEXT NOT NULL,            -- the chosen result: "werkkader/2-8-integrale-schuldhulp/#vroeg-eropaf"
    aantal INTEGER NOT NULL,
    eerst TEXT NOT NULL,             -- JJJJ-MM-DD
    laatst TEXT NOT NULL,
    PRIMARY KEY (vraag, pagina)
);
