/// The schema of the embedded feature store: the ordered migrations the writer applies at open.
///
/// Migration 1 creates these tables (times are Unix epoch milliseconds, UTC):
///
/// - `feature_sets`: the registered feature-set definitions.
///   - `name` TEXT PRIMARY KEY: the feature set's name.
///   - `definition` TEXT: the definition as JSON (entities, features, aggregations).
///   - `definition_hash` TEXT: hash of the canonical definition; state made by another hash is
///     refused or rebuilt from `event_log`, never mixed (DESIGN.md, "Online store").
///   - `registered_at_ms` INTEGER: when this definition was registered.
/// - `entity_state` (WITHOUT ROWID): the persisted online state of one entity of one feature set.
///   - `feature_set` TEXT, `entity_key` TEXT: the primary key (entity key as its canonical string).
///   - `state` BLOB: the serialized feature values and aggregation buckets of that entity.
///   - `updated_at_ms` INTEGER: when the state was last written.
/// - `event_log`: the offline store, every ingested event in arrival order.
///   - `seq` INTEGER PRIMARY KEY: the rowid, so arrival order is insertion order.
///   - `feature_set` TEXT, `entity_key` TEXT: which state the event updated.
///   - `event_ts_ms` INTEGER: the event's own timestamp (the aggregation time axis).
///   - `ingested_at_ms` INTEGER: when the server received it.
///   - `event` TEXT: the event as JSON.
///   - index `event_log_by_entity_time (feature_set, entity_key, event_ts_ms)` for point-in-time
///     reads and rebuilding one entity's state (migration 7 replaces it).
/// - `feature_stats` (WITHOUT ROWID): running statistics per feature (Welford's algorithm).
///   - `feature_set` TEXT, `feature` TEXT: the primary key.
///   - `count` INTEGER, `mean` REAL, `m2` REAL (sum of squared deviations; variance is
///     `m2 / (count - 1)`), `min` REAL, `max` REAL.
/// - `feature_set_versions` (migration 2, WITHOUT ROWID): every definition ever registered under a name.
///   - `name` TEXT, `version` INTEGER (1, 2, ... in registration order): the primary key.
///   - `definition` TEXT, `definition_hash` TEXT, `registered_at_ms` INTEGER: as in `feature_sets`.
/// - migration 3: `feature_stats.null_count` INTEGER (events without a value for the feature; `count` is the
///   events with one, and `mean`/`m2`/`min`/`max` stay NULL for string and bool features), and
///   `feature_violations` (WITHOUT ROWID): validator violations per feature.
///   - `feature_set` TEXT, `feature` TEXT, `validator` TEXT (min, max, allowed, not_null, max_age): the key.
///   - `rejected`, `warned`, `dropped` INTEGER: violations refused, written unchanged, written with the
///     feature nulled (by the set's policy at the time).
/// - `entity_state` (migration 4) becomes a rowid table with the same columns, its primary key a unique index:
///   states of ~1 KB overflowed the WITHOUT ROWID b-tree (whose interior pages hold whole rows), which
///   took 2.4× the bytes of the states themselves.
/// - migration 5: `event_log.event` of new rows is a BLOB, a binary record of the fields the feature set reads
///   (format: ``LoggedEventEncoder``), decoded without JSON; rows logged before stay JSON TEXT and are still
///   read (the storage class tells them apart). No table changes: the version makes older code refuse the store
///   (``SchemaMigrationError/databaseNewerThanCode``) rather than fail on records it cannot read.
/// - migration 6 (entity states written behind the event log, ``PendingStates``): `entity_state.through_seq`
///   INTEGER, the highest `event_log.seq` the stored state includes (every event of that key with a `seq` up to
///   it is in the state; rows existing at the migration get the log's current `MAX(seq)`: they were complete),
///   and `state_flush_marks` (WITHOUT ROWID): per feature set, `through_seq` such that every event of the set
///   with a `seq` up to it is in its key's stored state. A state loaded from disk is its row plus the key's
///   logged events above both.
/// - migration 7 (the event log indexed behind it, ``PendingLogIndex``): index `event_log_by_entity_time` becomes
///   the table `event_log_keys` (WITHOUT ROWID; primary key `feature_set`, `entity_key`, `event_ts_ms`, `seq`), written
///   behind the log in key order instead of one random index leaf per appended event, and `log_index_mark` (one
///   row, `through_seq`): every `event_log` row with a `seq` up to it has its `event_log_keys` row (rows above it
///   may or may not). A reader takes `event_log_keys` up to the mark and the log's rows above it (a range of the
///   rowid), in one statement, so one snapshot (``StoreStatements/logKeysSQL(columns:where:)``).
/// - migration 8 (the key index's recent runs, ``PendingLogIndex``): `event_log_keys_recent` (WITHOUT ROWID; primary
///   key `run`, `feature_set`, `entity_key`, `event_ts_ms`, `seq`) holds the key rows of recent rounds, each round a
///   run appended at the table's end, and `log_key_runs` lists the runs (`run`: the mark the round raised, `rows`).
///   A merge moves runs' rows into `event_log_keys` in key-range chunks (each chunk's rows inserted there and
///   deleted here in one commit), so a base leaf is written about once per merge instead of once per round. A
///   reader takes `event_log_keys` up to the mark, the listed runs up to the mark and the log above it.
/// - `processed_events`: exactly-once bookkeeping (DESIGN.md, "Exactly once").
///   - `event_id` TEXT PRIMARY KEY: the request `id` or `X-Event-Id` header.
///   - `seen_at_ms` INTEGER: when it was first processed (entries past the horizon may be pruned).
///   - `response` TEXT: the JSON response given then, answered again to a retry (nullable).
package enum StoreSchema {
    /// Every migration of the store, oldest first.
    package static let migrations: [SchemaMigration] = [
        SchemaMigration(
            version: 1, name: "create online and offline store tables",
            sql: """
                CREATE TABLE feature_sets (
                    name TEXT PRIMARY KEY,
                    definition TEXT NOT NULL,
                    definition_hash TEXT NOT NULL,
                    registered_at_ms INTEGER NOT NULL
                );
                CREATE TABLE entity_state (
                    feature_set TEXT NOT NULL,
                    entity_key TEXT NOT NULL,
                    state BLOB NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (feature_set, entity_key)
                ) WITHOUT ROWID;
                CREATE TABLE event_log (
                    seq INTEGER PRIMARY KEY,
                    feature_set TEXT NOT NULL,
                    entity_key TEXT NOT NULL,
                    event_ts_ms INTEGER NOT NULL,
                    ingested_at_ms INTEGER NOT NULL,
                    event TEXT NOT NULL
                );
                CREATE INDEX event_log_by_entity_time ON event_log (feature_set, entity_key, event_ts_ms);
                CREATE TABLE feature_stats (
                    feature_set TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    count INTEGER NOT NULL DEFAULT 0,
                    mean REAL,
                    m2 REAL,
                    min REAL,
                    max REAL,
                    PRIMARY KEY (feature_set, feature)
                ) WITHOUT ROWID;
                CREATE TABLE processed_events (
                    event_id TEXT PRIMARY KEY,
                    seen_at_ms INTEGER NOT NULL,
                    response TEXT
                );
                """),
        SchemaMigration(
            version: 2, name: "keep every registered definition of a feature set",
            sql: """
                CREATE TABLE feature_set_versions (
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    definition TEXT NOT NULL,
                    definition_hash TEXT NOT NULL,
                    registered_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (name, version)
                ) WITHOUT ROWID;
                INSERT INTO feature_set_versions(name, version, definition, definition_hash, registered_at_ms)
                SELECT name, 1, definition, definition_hash, registered_at_ms FROM feature_sets;
                """),
        SchemaMigration(
            version: 3, name: "count nulls per feature and validator violations",
            sql: """
                ALTER TABLE feature_stats ADD COLUMN null_count INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE feature_violations (
                    feature_set TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    validator TEXT NOT NULL,
                    rejected INTEGER NOT NULL DEFAULT 0,
                    warned INTEGER NOT NULL DEFAULT 0,
                    dropped INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (feature_set, feature, validator)
                ) WITHOUT ROWID;
                """),
        SchemaMigration(
            version: 4, name: "store entity states in a rowid table",
            sql: """
                CREATE TABLE entity_state_rowid (
                    feature_set TEXT NOT NULL,
                    entity_key TEXT NOT NULL,
                    state BLOB NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (feature_set, entity_key)
                );
                INSERT INTO entity_state_rowid(feature_set, entity_key, state, updated_at_ms)
                SELECT feature_set, entity_key, state, updated_at_ms FROM entity_state ORDER BY feature_set, entity_key;
                DROP TABLE entity_state;
                ALTER TABLE entity_state_rowid RENAME TO entity_state;
                """),
        SchemaMigration(
            version: 5, name: "log new events as binary records",
            sql: """
                -- event_log.event: BLOB records (LoggedEventEncoder) from now on; existing JSON TEXT rows stay.
                """),
        SchemaMigration(
            version: 6, name: "write entity states behind the event log",
            sql: """
                ALTER TABLE entity_state ADD COLUMN through_seq INTEGER NOT NULL DEFAULT 0;
                UPDATE entity_state SET through_seq = (SELECT COALESCE(MAX(seq), 0) FROM event_log);
                CREATE TABLE state_flush_marks (
                    feature_set TEXT PRIMARY KEY,
                    through_seq INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO state_flush_marks(feature_set, through_seq)
                SELECT name, (SELECT COALESCE(MAX(seq), 0) FROM event_log) FROM feature_sets;
                """),
        SchemaMigration(
            version: 7, name: "index the event log behind it",
            sql: """
                CREATE TABLE event_log_keys (
                    feature_set TEXT NOT NULL,
                    entity_key TEXT NOT NULL,
                    event_ts_ms INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    PRIMARY KEY (feature_set, entity_key, event_ts_ms, seq)
                ) WITHOUT ROWID;
                INSERT INTO event_log_keys(feature_set, entity_key, event_ts_ms, seq)
                SELECT feature_set, entity_key, event_ts_ms, seq FROM event_log
                ORDER BY feature_set, entity_key, event_ts_ms, seq;
                DROP INDEX event_log_by_entity_time;
                CREATE TABLE log_index_mark (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    through_seq INTEGER NOT NULL
                );
                INSERT INTO log_index_mark(id, through_seq) VALUES (1, (SELECT COALESCE(MAX(seq), 0) FROM event_log));
                """),
        SchemaMigration(
            version: 8, name: "index the event log in recent runs merged behind",
            sql: """
                CREATE TABLE event_log_keys_recent (
                    run INTEGER NOT NULL,
                    feature_set TEXT NOT NULL,
                    entity_key TEXT NOT NULL,
                    event_ts_ms INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    PRIMARY KEY (run, feature_set, entity_key, event_ts_ms, seq)
                ) WITHOUT ROWID;
                CREATE TABLE log_key_runs (
                    run INTEGER PRIMARY KEY,
                    rows INTEGER NOT NULL
                );
                """),
    ]

    /// A migrator over ``migrations``.
    package static let migrator = SchemaMigrator(migrations: migrations)
}
