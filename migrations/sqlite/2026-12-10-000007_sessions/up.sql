-- Sessions of people signed in to the web catalogue (by a pasted token or OpenID Connect).
--
-- Only the SHA-256 of a session id is kept: a copy of this table signs nobody in. A session
-- stands for the principal it was opened for (subject, organisation, roles) until it expires;
-- the roles are not read again from the token or the identity provider.
CREATE TABLE sessions (
    id_sha256 TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    organisation TEXT,
    -- Comma-separated role names (reader, publisher, curator, admin).
    roles TEXT NOT NULL,
    -- What the header shows: a name from the identity provider, else the subject.
    display_name TEXT NOT NULL,
    -- Carried by every state-changing form of the session.
    csrf_token TEXT NOT NULL,
    -- token or oidc
    method TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE INDEX sessions_expires_at ON sessions (expires_at);
