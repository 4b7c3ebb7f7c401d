-- Query registry for the Orleans ADO.NET providers (invariant "Npgsql").
--
-- At start-up every provider runs
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- (unquoted, so PostgreSQL folds it to orleansquery in the connection's
-- search_path) and from then on only executes the texts stored here, with
-- @Name placeholders that Npgsql binds as typed parameters.
-- Key names are case-sensitive strings; column names are matched by Npgsql
-- case-insensitively, so lowercase identifiers are fine.

create table if not exists orleansquery
(
    querykey  varchar(64) not null,
    querytext text        not null,
    constraint orleansquery_pk primary key (querykey)
);
