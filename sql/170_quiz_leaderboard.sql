-- /top (issue 12): the top 10 of the day, the week (from Monday) and the month, by right answers given on the
-- question's day, among learners who opted in with /top on. One silo a minute rebuilds leaderboard_top from the answer
-- log (quiz_refresh_leaderboard), so the answer path does nothing for it and /top reads at most 30 rows.

create table if not exists leaderboard_members (
    learner_id    bigint primary key,
    display_name  text not null check (char_length(display_name) between 1 and 64),
    joined_at     timestamptz not null default now()
);

create table if not exists leaderboard_top (
    period        text not null check (period in ('day', 'week', 'month')),
    rank          integer not null check (rank between 1 and 10),
    learner_id    bigint not null,
    display_name  text not null,
    correct       integer not null,
    primary key (period, rank)
);

create table if not exists leaderboard_refreshed (
    only_row  boolean primary key default true check (only_row),
    at        timestamptz not null
);
insert into leaderboard_refreshed (at) values ('-infinity') on conflict do nothing;

-- Rebuilds the tops as of p_today (the silo's date); returns false when another silo did it less than p_min_interval
-- ago or is doing it now. Ties go to whoever reached the count first.
create or replace function quiz_refresh_leaderboard(p_today date, p_min_interval interval default interval '50 seconds')
returns boolean
language plpgsql as $$
begin
    if not pg_try_advisory_xact_lock(hashtext('quiz_refresh_leaderboard')) then
        return false;
    end if;
    update leaderboard_refreshed set at = now() where at <= now() - p_min_interval;
    if not found then
        return false;
    end if;

    delete from leaderboard_top;
    insert into leaderboard_top (period, rank, learner_id, display_name, correct)
    select period, rank, learner_id, display_name, correct
    from (
        select p.period, a.learner_id, m.display_name, count(*)::integer as correct,
               row_number() over (partition by p.period order by count(*) desc, max(a.answered_at), a.learner_id)::integer as rank
        from (values ('day', p_today), ('week', date_trunc('week', p_today)::date), ('month', date_trunc('month', p_today)::date)) p(period, since)
        join answers a on a.question_day between p.since and p_today and a.is_correct and not a.is_late
        join leaderboard_members m on m.learner_id = a.learner_id
        where a.question_day >= date_trunc('month', p_today)::date - 6
        group by p.period, a.learner_id, m.display_name
    ) ranked
    where rank <= 10;
    return true;
end
$$;
