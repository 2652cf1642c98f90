-- The rate limit of the feedback API, shared by every server process on this database. A row is
-- one request: a keyed hash of the sender (the login's user id, else the client address; never the
-- value itself) and the moment in milliseconds. Rows older than the window are deleted with every
-- request, so no hash is kept longer than the window.
CREATE TABLE beperking (
    sleutel TEXT NOT NULL,           -- keyed BLAKE2b of "gebruiker:…" or "adres:…", see beperking_geheim
    moment BIGINT NOT NULL           -- milliseconds since 1970
);
CREATE INDEX beperking_sleutel ON beperking (sleutel, moment);
CREATE INDEX beperking_moment ON beperking (moment);

-- The key of that hash: made once, at random, by the first server process; the same for all of them.
CREATE TABLE beperking_geheim (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    geheim TEXT NOT NULL
);
