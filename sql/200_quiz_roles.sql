-- Least-privilege roles (issue 13, docs/security.md). The schema step runs as the database owner. Silos connect as
-- quiz_runtime: the data, no DDL, Orleans' query texts read-only. The webhook gateway, an Orleans client on the
-- internet's edge, connects as quiz_gateway: it reads the cluster's membership to find the silos, and nothing else.
-- Both are created without login; sql/apply.sh gives each a login and password when QUIZ_RUNTIME_PASSWORD or
-- QUIZ_GATEWAY_PASSWORD is set. Roles belong to the server, grants to this database.
-- Two schema steps at once (two databases on one server) may both find a role missing: the second one's create fails,
-- and is taken as done.
do $$
begin
    begin
        create role quiz_runtime nologin;
    exception when duplicate_object or unique_violation then null;
    end;
    begin
        create role quiz_gateway nologin;
    exception when duplicate_object or unique_violation then null;
    end;
end
$$;

grant usage on schema public to quiz_runtime, quiz_gateway;

grant select, insert, update, delete on all tables in schema public to quiz_runtime;
grant usage, select on all sequences in schema public to quiz_runtime;
revoke insert, update, delete on orleansquery from quiz_runtime;
-- Tables a later script adds get the same (a partition is reached through its parent, whose grants apply).
alter default privileges in schema public grant select, insert, update, delete on tables to quiz_runtime;

revoke all on all tables in schema public from quiz_gateway;
grant select on orleansquery, orleansmembershiptable, orleansmembershipversiontable to quiz_gateway;
