-- Orleans ADO.NET grain persistence for PostgreSQL 15, invariant "Npgsql".
-- Requires 010_orleans_query.sql.
--
-- Key of a state row, as the provider passes it:
--   GrainIdHash / GrainTypeHash  integer  hashes of the grain key and of GrainTypeString
--   GrainIdN0 / GrainIdN1        bigint   Guid or long key (0 for string keys)
--   GrainTypeString              text     the *state name* ("state" for Grain<T>,
--                                         else [PersistentState] name), not the grain class
--   GrainIdExtensionString       text     key extension, or the whole key for string keys; may be null
--   ServiceId                    text     ClusterOptions.ServiceId
-- The grain type is not part of the key: two grain types with the same key and
-- the same state name share a row.
--
-- version is the ETag. WriteToStorage/ClearStorage/DeleteStorage must return the
-- new version; a null or the unchanged version makes the provider throw
-- InconsistentStateException.

create table if not exists orleansstorage
(
    grainidhash            integer     not null,
    graintypehash          integer     not null,
    grainidn0              bigint      not null,
    grainidn1              bigint      not null,
    serviceid              text        not null,
    graintypestring        text        not null,
    grainidextensionstring text,
    payloadbinary          bytea,
    version                integer     not null,
    modifiedon             timestamptz not null default now(),
    -- The hashes lead so that the first column almost always decides.
    -- nulls not distinct: a Guid/long key without extension has a null here
    -- and must still be unique.
    constraint orleansstorage_key unique nulls not distinct
        (grainidhash, graintypehash, grainidn0, grainidn1, serviceid, graintypestring, grainidextensionstring)
)
-- State rows are updated in place all the time; room on the page lets those
-- updates stay HOT (no index maintenance, since no indexed column changes).
with (fillfactor = 90);

-- One call = one statement = one round trip. Returns the new version, or null
-- when the write lost (row already there for a first write, or version
-- mismatch / row gone for an update).
-- p_payloadbinary is what the grain storage serializer produced; with the JSON
-- serializer that is UTF-8 JSON without BOM (convert_from(p_payloadbinary, 'UTF8')).
-- It is stored as bytea as-is: Newtonsoft expects "$type" first, and a jsonb
-- round trip would reorder keys.
create or replace function orleans_write_to_storage(
    p_grainidhash            integer,
    p_grainidn0              bigint,
    p_grainidn1              bigint,
    p_graintypehash          integer,
    p_graintypestring        text,
    p_grainidextensionstring text,
    p_serviceid              text,
    p_grainstateversion      integer,
    p_payloadbinary          bytea)
returns integer
language plpgsql
as $fn$
declare
    v_version integer;
    v_state   jsonb;
begin
    if p_grainstateversion is null then
        insert into orleansstorage
            (grainidhash, graintypehash, grainidn0, grainidn1, serviceid,
             graintypestring, grainidextensionstring, payloadbinary, version, modifiedon)
        values
            (p_grainidhash, p_graintypehash, p_grainidn0, p_grainidn1, p_serviceid,
             p_graintypestring, p_grainidextensionstring, p_payloadbinary, 1, now())
        on conflict on constraint orleansstorage_key do nothing
        returning version into v_version;
    else
        -- Not an upsert: a missing row with a non-null ETag is a conflict
        -- (e.g. deleted by another activation), not a fresh insert.
        update orleansstorage
        set payloadbinary = p_payloadbinary,
            version = version + 1,
            modifiedon = now()
        where grainidhash = p_grainidhash
          and graintypehash = p_graintypehash
          and grainidn0 = p_grainidn0
          and grainidn1 = p_grainidn1
          and serviceid = p_serviceid
          and graintypestring = p_graintypestring
          and grainidextensionstring is not distinct from p_grainidextensionstring
          and version = p_grainstateversion
        returning version into v_version;
    end if;

    -- The learner grain's state ('learner', see StorageNames) carries its latest answer and progress events:
    -- append them to the answer log and streak_history in this same transaction (110_quiz_learners.sql), note
    -- whether its outbox still owes messages (140_quiz_outbox.sql) and when its next question is due (160_quiz_due.sql).
    if v_version is not null and p_graintypestring = 'learner' and p_payloadbinary is not null then
        v_state := convert_from(p_payloadbinary, 'UTF8')::jsonb;
        perform quiz_record_learner_progress(v_state);
        perform quiz_track_outbox(p_serviceid, p_grainidn1, v_state);
        perform quiz_track_due(p_serviceid, p_grainidn1, v_state);
    end if;

    return v_version;
end
$fn$;

insert into orleansquery (querykey, querytext)
values
(
    'WriteToStorageKey',
    $sql$
    select orleans_write_to_storage(
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary
    ) as "NewGrainStateVersion";
    $sql$
),
(
    -- No row = never written; a row with null payload = cleared (ETag kept).
    'ReadFromStorageKey',
    $sql$
    select payloadbinary, version
    from orleansstorage
    where grainidhash = @GrainIdHash
      and graintypehash = @GrainTypeHash
      and grainidn0 = @GrainIdN0
      and grainidn1 = @GrainIdN1
      and serviceid = @ServiceId
      and graintypestring = @GrainTypeString
      and grainidextensionstring is not distinct from @GrainIdExtensionString;
    $sql$
),
(
    -- The provider reads the first column; no row means version conflict.
    'ClearStorageKey',
    $sql$
    update orleansstorage
    set payloadbinary = null,
        version = version + 1,
        modifiedon = now()
    where grainidhash = @GrainIdHash
      and graintypehash = @GrainTypeHash
      and grainidn0 = @GrainIdN0
      and grainidn1 = @GrainIdN1
      and serviceid = @ServiceId
      and graintypestring = @GrainTypeString
      and grainidextensionstring is not distinct from @GrainIdExtensionString
      and version = @GrainStateVersion
    returning version as "NewGrainStateVersion";
    $sql$
),
(
    -- Only used with AdoNetGrainStorageOptions.DeleteStateOnClear = true.
    -- Returns version + 1 so the provider sees a changed version.
    'DeleteStorageKey',
    $sql$
    delete from orleansstorage
    where grainidhash = @GrainIdHash
      and graintypehash = @GrainTypeHash
      and grainidn0 = @GrainIdN0
      and grainidn1 = @GrainIdN1
      and serviceid = @ServiceId
      and graintypestring = @GrainTypeString
      and grainidextensionstring is not distinct from @GrainIdExtensionString
      and version = @GrainStateVersion
    returning version + 1 as "NewGrainStateVersion";
    $sql$
)
on conflict (querykey) do update set querytext = excluded.querytext;
