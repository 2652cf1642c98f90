-- Feedback on pages and searches without a full match. No IP address, user, browser or time of
-- day: a row holds what was said about which page, and the date.
CREATE TABLE feedback (
    id {ID},
    pagina TEXT NOT NULL,            -- URL path relative to the site root: "werkkader/2-4-werkproces/"
    eigenaar TEXT NOT NULL,          -- owner of that page when the feedback came in
    soort TEXT NOT NULL CHECK (soort IN ('nuttig', 'niet-nuttig', 'melding')),
    tekst TEXT NOT NULL DEFAULT '',  -- passed the privacy lint before it was written
    dag TEXT NOT NULL,               -- JJJJ-MM-DD
    afgehandeld TEXT                 -- JJJJ-MM-DD when the owner handled it; NULL while open
);
CREATE INDEX feedback_eigenaar ON feedback (eigenaar, afgehandeld);

CREATE TABLE zoekvraag (
    vraag TEXT PRIMARY KEY,          -- normalised: lower case, accents folded, single spaces
    aantal INTEGER NOT NULL,
    eerst TEXT NOT NULL,             -- JJJJ-MM-DD
    laatst TEXT NOT NULL
);
