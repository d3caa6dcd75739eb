namespace FrontDoor.Server.ReadModels;

/// <summary>
/// The read models' tables, in one place, created in FrontDoor's schema through the search path. Times are Unix
/// milliseconds, ids are text, flags are 0/1.
/// </summary>
public static class ReadModelSchema
{
    public const string Module = "read-models";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } =
    [
        (1, "contacts, referrals and residents", """
            CREATE TABLE rm_contacts (
                contact_id           TEXT    NOT NULL PRIMARY KEY,
                channel              TEXT    NOT NULL,
                site_id              TEXT    NULL,
                status               TEXT    NOT NULL,
                resident_id          TEXT    NULL,
                received_at_ms       BIGINT  NOT NULL,
                has_owner            INTEGER NOT NULL,
                safeguarding         INTEGER NOT NULL,
                needs                TEXT    NOT NULL,
                follow_up_state      TEXT    NOT NULL,
                follow_up_due_at_ms  BIGINT  NULL,
                follow_up_marked_due INTEGER NOT NULL,
                last_position        BIGINT  NOT NULL
            );
            CREATE INDEX rm_contacts_received ON rm_contacts (received_at_ms);
            CREATE INDEX rm_contacts_resident ON rm_contacts (resident_id);
            CREATE INDEX rm_contacts_follow_up ON rm_contacts (follow_up_state, follow_up_due_at_ms);

            CREATE TABLE rm_referrals (
                referral_id           TEXT    NOT NULL PRIMARY KEY,
                contact_id            TEXT    NOT NULL,
                service               TEXT    NOT NULL,
                priority              TEXT    NOT NULL,
                priority_rank         INTEGER NOT NULL,
                status                TEXT    NOT NULL,
                raised_at_ms          BIGINT  NOT NULL,
                due_at_ms             BIGINT  NOT NULL,
                overdue               INTEGER NOT NULL,
                safeguarding          INTEGER NOT NULL,
                claimed_by            TEXT    NULL,
                needs                 TEXT    NOT NULL,
                rule                  TEXT    NOT NULL,
                outcome               TEXT    NULL,
                return_reason         TEXT    NULL,
                suggested_service     TEXT    NULL,
                previous_referral_id  TEXT    NULL,
                version               BIGINT  NOT NULL,
                updated_at_ms         BIGINT  NOT NULL,
                last_position         BIGINT  NOT NULL
            );
            CREATE INDEX rm_referrals_queue ON rm_referrals (service, status, priority_rank, due_at_ms);
            CREATE INDEX rm_referrals_contact ON rm_referrals (contact_id);

            CREATE TABLE rm_residents (
                resident_id    TEXT   NOT NULL PRIMARY KEY,
                match_key      TEXT   NULL,
                name           TEXT   NOT NULL,
                name_search    TEXT   NOT NULL,
                date_of_birth  TEXT   NULL,
                postcode       TEXT   NULL,
                postcode_search TEXT  NULL,
                phone          TEXT   NULL,
                email          TEXT   NULL,
                contact_count  INTEGER NOT NULL,
                last_position  BIGINT NOT NULL
            );
            CREATE INDEX rm_residents_dob ON rm_residents (date_of_birth);
            """),
        (2, "a contact's last activity, which its retention period runs from", """
            ALTER TABLE rm_contacts ADD COLUMN last_event_at_ms BIGINT NULL;
            CREATE INDEX rm_contacts_resident_activity ON rm_contacts (resident_id, last_event_at_ms);
            """),
        (3, "outcomes and return reasons are personal data, kept only sealed in the log", """
            ALTER TABLE rm_referrals DROP COLUMN outcome;
            ALTER TABLE rm_referrals DROP COLUMN return_reason;
            """),
        (4, "the day's activity, counted by the async daemon for the wall", """
            CREATE TABLE rm_day_activity (
                day    TEXT   NOT NULL,
                kind   TEXT   NOT NULL,
                key    TEXT   NOT NULL,
                count  BIGINT NOT NULL,
                PRIMARY KEY (day, kind, key)
            );
            """),
        (5, "a contact found by its reference, the start of its id", """
            CREATE INDEX rm_contacts_reference ON rm_contacts (contact_id text_pattern_ops);
            """),
        (6, "a resident record merged into another", """
            ALTER TABLE rm_residents ADD COLUMN merged_into TEXT NULL;
            CREATE INDEX rm_residents_merged_into ON rm_residents (merged_into) WHERE merged_into IS NOT NULL;
            """),
        (7, "who holds a referral, and since when", """
            ALTER TABLE rm_referrals ADD COLUMN held_since_ms BIGINT NULL;
            CREATE INDEX rm_referrals_holder ON rm_referrals (claimed_by, status) WHERE claimed_by IS NOT NULL;
            """),
        (8, "the day's activity as facts, each counted event once however often it is handed over", """
            DROP TABLE rm_day_activity;
            CREATE TABLE rm_day_activity (
                position  BIGINT NOT NULL,
                kind      TEXT   NOT NULL,
                day       TEXT   NOT NULL,
                key       TEXT   NOT NULL,
                PRIMARY KEY (position, kind)
            );
            CREATE INDEX rm_day_activity_day ON rm_day_activity (day, kind, key);
            -- The counters are gone: the daemon counts the log again from its start. Marten's table is there only
            -- once Marten has made its schema (a new database migrates before that).
            DO $$
            BEGIN
                IF to_regclass('mt_event_progression') IS NOT NULL THEN
                    EXECUTE $q$DELETE FROM mt_event_progression WHERE name = 'day-activity:All'$q$;
                END IF;
            END $$;
            """),
        (9, "residents found by blind index terms, with no personal data in the table", """
            ALTER TABLE rm_residents
                DROP COLUMN match_key, DROP COLUMN name, DROP COLUMN name_search, DROP COLUMN date_of_birth,
                DROP COLUMN postcode, DROP COLUMN postcode_search, DROP COLUMN phone, DROP COLUMN email,
                ADD COLUMN terms TEXT[] NOT NULL DEFAULT '{}';
            CREATE INDEX rm_residents_terms ON rm_residents USING gin (terms);
            CREATE INDEX rm_residents_recent ON rm_residents (last_position DESC) WHERE merged_into IS NULL;
            """),
        (10, "the look-up gathers its matches by their terms, not by walking the newest records", """
            DROP INDEX IF EXISTS rm_residents_recent;
            """),
    ];
}
