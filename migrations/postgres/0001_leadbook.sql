-- Leadbook shared store on PostgreSQL, version 1. Applied by `leadbook sync server init` (as an
-- administrator) in one transaction; docs/SYNC.md documents it for programs that write here directly.
--
-- Every synced table carries, besides its own columns:
--   _clocks  per-column hybrid-logical-clock timestamps of the last write that won ('*' = all columns);
--            text compared byte-wise (COLLATE "C"): 16 hex digits of (ms << 16 | counter), '-', node.
--   _xid     the id of the transaction that last wrote the row: the pull cursor (see leadbook.pull_bound).
-- Both are filled by triggers, so plain INSERT/UPDATE from other programs needs neither.

CREATE SCHEMA leadbook;

CREATE TABLE leadbook.schema_migrations (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- One row: this server's identity. A desktop that finds a different id drops its cursors and pulls anew.
CREATE TABLE leadbook.server_info (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO leadbook.server_info DEFAULT VALUES;

-- Desktop users connect with their own login role, each a member of this group role.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'leadbook_user') THEN
        CREATE ROLE leadbook_user NOLOGIN;
    END IF;
END $$;
GRANT USAGE ON SCHEMA leadbook TO leadbook_user;

-- ---- clocks ---------------------------------------------------------------------------------

-- The clock of one column in a row's _clocks.
CREATE FUNCTION leadbook.clk(clocks jsonb, col text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(clocks ->> col, clocks ->> '*', '') COLLATE "C"
$$;

-- True when `incoming` wins column `col` over `stored`.
CREATE FUNCTION leadbook.wins(incoming jsonb, stored jsonb, col text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT leadbook.clk(incoming, col) COLLATE "C" > leadbook.clk(stored, col) COLLATE "C"
$$;

-- True when `incoming` wins at least one column: a push that wins nothing writes nothing.
CREATE FUNCTION leadbook.wins_any(incoming jsonb, stored jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT EXISTS (SELECT 1 FROM jsonb_object_keys(incoming) k WHERE leadbook.wins(incoming, stored, k))
$$;

-- Per-column maximum of two clock sets.
CREATE FUNCTION leadbook.merge_clocks(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_object_agg(k, greatest(leadbook.clk(a, k), leadbook.clk(b, k))), '{}'::jsonb)
    FROM (SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b)) AS keys(k)
$$;

-- A clock reading for writes made on the server itself (other programs, psql).
CREATE FUNCTION leadbook.server_hlc() RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT lpad(to_hex((floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) << 16), 16, '0') || '-0000000000000000'
$$;

-- Before every write of a synced row: stamp the transaction id (the pull cursor), and when the
-- writer is not a Leadbook push (which brings its own clocks), stamp the changed columns' clocks.
CREATE FUNCTION leadbook.stamp() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    h text;
    changed jsonb;
BEGIN
    NEW._xid := pg_current_xact_id();
    IF coalesce(current_setting('leadbook.pushing', true), '') = 'on' THEN
        RETURN NEW;
    END IF;
    h := leadbook.server_hlc();
    IF TG_OP = 'INSERT' THEN
        NEW._clocks := jsonb_build_object('*', h);
    ELSE
        SELECT coalesce(jsonb_object_agg(n.key, h), '{}'::jsonb) INTO changed
        FROM jsonb_each(to_jsonb(NEW)) n JOIN jsonb_each(to_jsonb(OLD)) o USING (key)
        WHERE n.value IS DISTINCT FROM o.value AND n.key NOT IN ('_xid', '_clocks');
        NEW._clocks := leadbook.merge_clocks(OLD._clocks, changed);
    END IF;
    RETURN NEW;
END $$;

-- Wakes listening desktops (LISTEN leadbook_changes) once per writing statement.
CREATE FUNCTION leadbook.notify_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('leadbook_changes', TG_TABLE_NAME);
    RETURN NULL;
END $$;

-- Upper bound of a gap-free pull: every transaction with an id below it has finished, so no row
-- below it can still appear (a row's _xid is assigned at write time but visible only at commit).
CREATE FUNCTION leadbook.pull_bound() RETURNS xid8
LANGUAGE sql STABLE AS $$ SELECT pg_snapshot_xmin(pg_current_snapshot()) $$;

-- ---- who may see what -----------------------------------------------------------------------

CREATE TABLE leadbook.users (
    id         text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    role_name  name NOT NULL UNIQUE,     -- the PostgreSQL login role this user connects with
    username   text NOT NULL,
    email      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    _xid       xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE leadbook.spaces (
    id         text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    name       text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('personal', 'team')),
    owner_id   text NOT NULL REFERENCES leadbook.users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    _xid       xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE UNIQUE INDEX spaces_team_name ON leadbook.spaces (name) WHERE kind = 'team';

CREATE TABLE leadbook.space_members (
    space_id   text NOT NULL REFERENCES leadbook.spaces (id),
    user_id    text NOT NULL REFERENCES leadbook.users (id),
    role       text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
    created_at timestamptz NOT NULL DEFAULT now(),
    _xid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (space_id, user_id)
);

-- The spaces the connected role belongs to. SECURITY DEFINER so the policies can read the
-- membership table without granting it; session_user, because inside the function current_user
-- is the definer. A personal space (one member) is how "own rows" is expressed.
CREATE FUNCTION leadbook.my_spaces() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT m.space_id FROM leadbook.space_members m JOIN leadbook.users u ON u.id = m.user_id
    WHERE u.role_name = session_user
$$;
REVOKE ALL ON FUNCTION leadbook.my_spaces() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION leadbook.my_spaces() TO leadbook_user;

-- Enabled but not forced on these three: users only ever read them (no write grants), and
-- my_spaces() runs as their owner, which must read them without the policies (forcing would make
-- the policies call my_spaces() again, endlessly, unless the owner had BYPASSRLS).
ALTER TABLE leadbook.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_visible ON leadbook.users FOR SELECT USING (
    role_name = session_user
    OR id IN (SELECT user_id FROM leadbook.space_members WHERE space_id IN (SELECT leadbook.my_spaces())));
ALTER TABLE leadbook.spaces ENABLE ROW LEVEL SECURITY;
CREATE POLICY spaces_visible ON leadbook.spaces FOR SELECT USING (id IN (SELECT leadbook.my_spaces()));
ALTER TABLE leadbook.space_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_visible ON leadbook.space_members FOR SELECT USING (space_id IN (SELECT leadbook.my_spaces()));
GRANT SELECT ON leadbook.users, leadbook.spaces, leadbook.space_members, leadbook.server_info, leadbook.schema_migrations
    TO leadbook_user;

-- ---- synced tables --------------------------------------------------------------------------
-- Mirrors of the desktop tables (without desktop-only columns such as leads.num or sort keys).
-- No foreign keys between them: a desktop may push a child before a parent it cannot see yet,
-- and a row must never block the queue; desktops hold a row back until its parent arrives.

CREATE TABLE leadbook.companies (
    id           text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    space_id     text NOT NULL,
    user_id      text,
    name         text NOT NULL,
    website      text,
    industry     text,
    company_size integer,
    company_data jsonb NOT NULL DEFAULT '{}',
    is_active    boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    deleted_at   timestamptz,
    _clocks      jsonb NOT NULL DEFAULT '{}',
    _xid         xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE leadbook.lead_stages (
    id          text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    space_id    text NOT NULL,
    user_id     text,
    name        text NOT NULL,
    stage_order integer NOT NULL DEFAULT 0,
    color       text NOT NULL DEFAULT '#94a3b8',
    is_default  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    _clocks     jsonb NOT NULL DEFAULT '{}',
    _xid        xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE leadbook.lead_sources (
    id           text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    space_id     text NOT NULL,
    user_id      text,
    name         text NOT NULL,
    type         text NOT NULL DEFAULT 'other',
    utm_source   text,
    utm_medium   text,
    utm_campaign text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    deleted_at   timestamptz,
    _clocks      jsonb NOT NULL DEFAULT '{}',
    _xid         xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE leadbook.leads (
    id                    text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    space_id              text NOT NULL,
    user_id               text,
    company_id            text,
    assigned_to           text,
    first_name            text NOT NULL DEFAULT '',
    last_name             text NOT NULL DEFAULT '',
    email                 text,
    phone                 text,           -- E.164; a program may leave it NULL and set phone_raw
    phone_raw             text,
    phone_display         text,
    job_title             text,
    stage_id              text,
    source_id             text,
    status                text NOT NULL DEFAULT 'open',
    form_id               text,
    form_submission_data  jsonb,
    custom_fields         jsonb NOT NULL DEFAULT '{}',
    budget                text,
    authority             text,
    need                  text,
    timeline              text,
    enriched_data         jsonb NOT NULL DEFAULT '{}',
    notes                 text,
    converted_to_customer boolean NOT NULL DEFAULT false,
    customer_id           text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    deleted_at            timestamptz,
    _clocks               jsonb NOT NULL DEFAULT '{}',
    _xid                  xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE leadbook.lead_activities (
    id            text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    space_id      text NOT NULL,
    lead_id       text NOT NULL,
    user_id       text,
    activity_type text NOT NULL,
    description   text NOT NULL,
    activity_data jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz,
    _clocks       jsonb NOT NULL DEFAULT '{}',
    _xid          xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE leadbook.inquiries (
    id         text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    space_id   text NOT NULL,
    lead_id    text NOT NULL,
    user_id    text,
    message    text NOT NULL,
    channel    text NOT NULL DEFAULT 'web_form',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    _clocks    jsonb NOT NULL DEFAULT '{}',
    _xid       xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE leadbook.analytics_events (
    id          text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    space_id    text NOT NULL,
    lead_id     text NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    event_type  text NOT NULL,
    event_value text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    _clocks     jsonb NOT NULL DEFAULT '{}',
    _xid        xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE TABLE leadbook.scoring_rules (
    id          text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    space_id    text NOT NULL,
    name        text NOT NULL,
    criteria    jsonb NOT NULL,
    points      integer NOT NULL,
    per_match   boolean NOT NULL DEFAULT false,
    active      boolean NOT NULL DEFAULT true,
    valid_from  text,
    valid_until text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    _clocks     jsonb NOT NULL DEFAULT '{}',
    _xid        xid8 NOT NULL DEFAULT pg_current_xact_id()
);

-- The same machinery on every synced table: pull index, stamping trigger, change notification,
-- row-level security (enabled and forced) by space membership for reads and writes.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['companies', 'lead_stages', 'lead_sources', 'leads', 'lead_activities',
                             'inquiries', 'analytics_events', 'scoring_rules'] LOOP
        EXECUTE format('CREATE INDEX %I ON leadbook.%I (_xid, id)', t || '_pull', t);
        EXECUTE format('CREATE INDEX %I ON leadbook.%I (space_id)', t || '_space', t);
        EXECUTE format('CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON leadbook.%I FOR EACH ROW EXECUTE FUNCTION leadbook.stamp()', t);
        EXECUTE format('CREATE TRIGGER notify AFTER INSERT OR UPDATE ON leadbook.%I FOR EACH STATEMENT EXECUTE FUNCTION leadbook.notify_changes()', t);
        EXECUTE format('ALTER TABLE leadbook.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE leadbook.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY by_space ON leadbook.%I USING (space_id IN (SELECT leadbook.my_spaces())) '
                       'WITH CHECK (space_id IN (SELECT leadbook.my_spaces()))', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE ON leadbook.%I TO leadbook_user', t);
    END LOOP;
END $$;
-- Hard deletes are not granted: a delete is a tombstone (deleted_at), so it can never come back.

INSERT INTO leadbook.schema_migrations (version) VALUES (1);
