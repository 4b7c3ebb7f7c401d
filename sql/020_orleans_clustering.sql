-- Orleans ADO.NET clustering (membership) for PostgreSQL 15, invariant "Npgsql".
-- Requires 010_orleans_query.sql.
--
-- Parameter types as Npgsql sends them: strings as text, ints as integer,
-- DateTime as timestamptz (Orleans sets DbType.DateTime, which Npgsql 6+ maps
-- to timestamptz and only accepts with Kind=Utc). Hence timestamptz columns:
-- a timestamp column would be converted through the session TimeZone.

-- One row per cluster (DeploymentId = ClusterOptions.ClusterId). version is the
-- membership table's optimistic-concurrency token.
create table if not exists orleansmembershipversiontable
(
    deploymentid text        not null,
    modifiedon   timestamptz not null default now(),
    version      integer     not null default 0,
    constraint orleansmembershipversiontable_pk primary key (deploymentid)
);

create table if not exists orleansmembershiptable
(
    deploymentid text        not null,
    address      text        not null,
    port         integer     not null,
    generation   integer     not null,
    siloname     text        not null,
    hostname     text        not null,
    status       integer     not null,
    proxyport    integer     not null,
    suspecttimes text,
    starttime    timestamptz not null,
    iamalivetime timestamptz not null,
    constraint orleansmembershiptable_pk primary key (deploymentid, address, port, generation),
    constraint orleansmembershiptable_version_fk foreign key (deploymentid)
        references orleansmembershipversiontable (deploymentid)
);

-- Result columns are read by name; boolean results must be exactly one row
-- with one column (the provider calls First() on them).
insert into orleansquery (querykey, querytext)
values
(
    'InsertMembershipVersionKey',
    $sql$
    with ins as (
        insert into orleansmembershipversiontable (deploymentid)
        values (@DeploymentId)
        on conflict (deploymentid) do nothing
        returning 1
    )
    select exists (select 1 from ins);
    $sql$
),
(
    -- The version bump and the insert are one statement, so they commit or
    -- fail together. A row that already exists returns false without bumping
    -- the version; a unique violation can only come from a row written
    -- outside these queries and rolls the whole statement back.
    'InsertMembershipKey',
    $sql$
    with v as (
        update orleansmembershipversiontable
        set version = version + 1,
            modifiedon = now()
        where deploymentid = @DeploymentId
          and version = @Version
          and not exists (
              select 1
              from orleansmembershiptable
              where deploymentid = @DeploymentId
                and address = @Address
                and port = @Port
                and generation = @Generation)
        returning deploymentid
    ), ins as (
        insert into orleansmembershiptable
            (deploymentid, address, port, generation, siloname, hostname,
             status, proxyport, starttime, iamalivetime)
        select v.deploymentid, @Address, @Port, @Generation, @SiloName, @HostName,
               @Status, @ProxyPort, @StartTime, @IAmAliveTime
        from v
        returning 1
    )
    select exists (select 1 from ins);
    $sql$
),
(
    'UpdateMembershipKey',
    $sql$
    with v as (
        update orleansmembershipversiontable
        set version = version + 1,
            modifiedon = now()
        where deploymentid = @DeploymentId
          and version = @Version
          and exists (
              select 1
              from orleansmembershiptable
              where deploymentid = @DeploymentId
                and address = @Address
                and port = @Port
                and generation = @Generation)
        returning deploymentid
    ), upd as (
        update orleansmembershiptable m
        set status = @Status,
            suspecttimes = @SuspectTimes,
            iamalivetime = @IAmAliveTime
        from v
        where m.deploymentid = v.deploymentid
          and m.address = @Address
          and m.port = @Port
          and m.generation = @Generation
        returning 1
    )
    select exists (select 1 from upd);
    $sql$
),
(
    -- Liveness heartbeat: deliberately does not touch the table version.
    'UpdateIAmAlivetimeKey',
    $sql$
    update orleansmembershiptable
    set iamalivetime = @IAmAliveTime
    where deploymentid = @DeploymentId
      and address = @Address
      and port = @Port
      and generation = @Generation;
    $sql$
),
(
    -- The left join keeps the version row when the silo has no entry; the
    -- provider treats a null StartTime as "no entry".
    'MembershipReadRowKey',
    $sql$
    select v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname,
           m.status, m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime,
           v.version
    from orleansmembershipversiontable v
    left join orleansmembershiptable m
           on m.deploymentid = v.deploymentid
          and m.address = @Address
          and m.port = @Port
          and m.generation = @Generation
    where v.deploymentid = @DeploymentId;
    $sql$
),
(
    'MembershipReadAllKey',
    $sql$
    select v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname,
           m.status, m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime,
           v.version
    from orleansmembershipversiontable v
    left join orleansmembershiptable m on m.deploymentid = v.deploymentid
    where v.deploymentid = @DeploymentId;
    $sql$
),
(
    -- Membership rows go first; the foreign key is checked at the end of the
    -- statement, so one statement is enough.
    'DeleteMembershipTableEntriesKey',
    $sql$
    with m as (
        delete from orleansmembershiptable
        where deploymentid = @DeploymentId
    )
    delete from orleansmembershipversiontable
    where deploymentid = @DeploymentId;
    $sql$
),
(
    -- Required key, but 10.4.2 only runs it when CleanupDefunctSiloEntryKey
    -- is missing. Only Dead (6) rows with no activity since the cutoff; rows
    -- with suspicions are left to the per-row query below.
    'CleanupDefunctSiloEntriesKey',
    $sql$
    delete from orleansmembershiptable
    where deploymentid = @DeploymentId
      and status = 6
      and iamalivetime < @IAmAliveTime
      and starttime < @IAmAliveTime
      and coalesce(suspecttimes, '') = '';
    $sql$
),
(
    -- Optional key (10.4.2+): the provider reads all rows, picks the Dead ones
    -- whose start, heartbeat and suspicion times are all before the cutoff, and
    -- deletes each one only if it is still exactly as read. The version is not
    -- touched. SuspectTimes comes back as null or '' when there are none.
    'CleanupDefunctSiloEntryKey',
    $sql$
    delete from orleansmembershiptable
    where deploymentid = @DeploymentId
      and address = @Address
      and port = @Port
      and generation = @Generation
      and status = 6
      and starttime = @StartTime
      and iamalivetime = @IAmAliveTime
      and coalesce(suspecttimes, '') = coalesce(@SuspectTimes, '');
    $sql$
),
(
    'GatewaysQueryKey',
    $sql$
    select address, proxyport, generation
    from orleansmembershiptable
    where deploymentid = @DeploymentId
      and status = @Status
      and proxyport > 0;
    $sql$
)
on conflict (querykey) do update set querytext = excluded.querytext;
