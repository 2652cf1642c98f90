-- Reports from the public site (Wijknetwerken): a partner tells the editors what is wrong on a public
-- page. `bron` says where a report came from; `organisatie` is the organisation a partner may name
-- (optional, privacy-checked like the text). Still no IP address, name, browser or time of day.
ALTER TABLE feedback ADD COLUMN bron TEXT NOT NULL DEFAULT 'intranet' CHECK (bron IN ('intranet', 'publiek'));
ALTER TABLE feedback ADD COLUMN organisatie TEXT NOT NULL DEFAULT '';
