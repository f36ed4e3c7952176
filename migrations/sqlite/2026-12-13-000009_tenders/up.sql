-- Procurement: tenders with their versioned requirement packs, and the bids suppliers make.
--
-- A tender belongs to the buying organisation and has a visibility like an API's. Its requirement
-- pack (docs/PROCUREMENT.md) is versioned: each version is immutable, kept as the original YAML in a
-- content-addressed blob, with what changed from the version before.
CREATE TABLE tenders (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    visibility TEXT NOT NULL,
    -- draft | published | closed | awarded
    lifecycle TEXT NOT NULL,
    -- The version of the pack bids are judged against (the newest).
    pack_version TEXT,
    -- The supplier awarded the contract, once awarded.
    awarded_to BIGINT REFERENCES organisations (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE tender_packs (
    id INTEGER PRIMARY KEY,
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    version TEXT NOT NULL,
    seq INTEGER NOT NULL,
    blob_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    -- JSON: what changed from the version before ([] for the first).
    changes TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    UNIQUE (tender_id, version)
);

-- A supplier's bid: commercially sensitive. Only the supplier, the buying organisation and admins
-- see it, and its descriptions are deleted when the supplier withdraws it.
CREATE TABLE bids (
    id INTEGER PRIMARY KEY,
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    -- open | withdrawn
    status TEXT NOT NULL,
    -- The supplier's system in the catalogue the bid offers, for `tier` requirements.
    system_id BIGINT REFERENCES systems (id),
    -- JSON: the evaluation against the pack (pac_tender::Evaluation), once the bid has descriptions.
    evaluation TEXT,
    evaluated_pack_version TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (tender_id, organisation_id)
);

CREATE TABLE bid_files (
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    blob_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bid_id, name)
);

-- Evaluators' scores of a bid's manual requirements, each with its justification. Every change is
-- in the audit log too.
CREATE TABLE bid_scores (
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    requirement TEXT NOT NULL,
    score INTEGER NOT NULL,
    justification TEXT NOT NULL,
    scored_by TEXT NOT NULL,
    scored_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bid_id, requirement)
);
