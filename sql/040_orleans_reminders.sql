-- Orleans ADO.NET reminders for PostgreSQL 15, invariant "Npgsql".
-- Requires 010_orleans_query.sql.
--
-- StartTime arrives as timestamptz (DbType.DateTime, Kind=Utc; the provider
-- turns Unspecified into Utc first). Period arrives as integer milliseconds,
-- or as bigint when it does not fit an int, hence a bigint column.
-- GrainHash, BeginHash and EndHash are uint ring positions cast to int.

create table if not exists orleansreminderstable
(
    serviceid    text        not null,
    grainid      text        not null,
    remindername text        not null,
    starttime    timestamptz not null,
    period       bigint      not null,
    grainhash    integer     not null,
    version      integer     not null,
    constraint orleansreminderstable_pk primary key (serviceid, grainid, remindername)
);

-- For the ring-range reads done by every silo's reminder service.
create index if not exists orleansreminderstable_grainhash_ix
    on orleansreminderstable (serviceid, grainhash);

insert into orleansquery (querykey, querytext)
values
(
    -- Returns the new ETag: 0 for a new reminder, +1 on every update.
    'UpsertReminderRowKey',
    $sql$
    insert into orleansreminderstable as r
        (serviceid, grainid, remindername, starttime, period, grainhash, version)
    values
        (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    on conflict (serviceid, grainid, remindername) do update
    set starttime = excluded.starttime,
        period = excluded.period,
        grainhash = excluded.grainhash,
        version = r.version + 1
    returning r.version;
    $sql$
),
(
    'ReadReminderRowsKey',
    $sql$
    select grainid, remindername, starttime, period, version
    from orleansreminderstable
    where serviceid = @ServiceId
      and grainid = @GrainId;
    $sql$
),
(
    'ReadReminderRowKey',
    $sql$
    select grainid, remindername, starttime, period, version
    from orleansreminderstable
    where serviceid = @ServiceId
      and grainid = @GrainId
      and remindername = @ReminderName;
    $sql$
),
(
    -- Used when (int)BeginHash < (int)EndHash: the range (begin, end].
    'ReadRangeRows1Key',
    $sql$
    select grainid, remindername, starttime, period, version
    from orleansreminderstable
    where serviceid = @ServiceId
      and grainhash > @BeginHash
      and grainhash <= @EndHash;
    $sql$
),
(
    -- Used otherwise: the range wraps around, (begin, max] + [min, end].
    -- begin = end therefore means the whole ring.
    'ReadRangeRows2Key',
    $sql$
    select grainid, remindername, starttime, period, version
    from orleansreminderstable
    where serviceid = @ServiceId
      and (grainhash > @BeginHash or grainhash <= @EndHash);
    $sql$
),
(
    'DeleteReminderRowKey',
    $sql$
    with d as (
        delete from orleansreminderstable
        where serviceid = @ServiceId
          and grainid = @GrainId
          and remindername = @ReminderName
          and version = @Version
        returning 1
    )
    select exists (select 1 from d);
    $sql$
),
(
    'DeleteReminderRowsKey',
    $sql$
    delete from orleansreminderstable
    where serviceid = @ServiceId;
    $sql$
)
on conflict (querykey) do update set querytext = excluded.querytext;
