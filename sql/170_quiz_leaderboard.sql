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
-- How long the last rebuild took: the next waits at least four times as long, so that at any scale the rebuild keeps
-- the database busy a fifth of the time at most (bench/run-top.sh, docs/performance.md "/top at scale").
alter table leaderboard_refreshed add column if not exists took interval not null default interval '0';

-- Rebuilds the tops as of p_today (the silo's date); returns false when another silo did it less than p_min_interval
-- (or four times the last rebuild's duration) ago, or is doing it now. Ties go to whoever reached the count first.
create or replace function quiz_refresh_leaderboard(p_today date, p_min_interval interval default interval '50 seconds')
returns boolean
language plpgsql as $$
begin
    if not pg_try_advisory_xact_lock(hashtext('quiz_refresh_leaderboard')) then
        return false;
    end if;
    -- An interval of zero rebuilds now (an operator, a test, the benchmark); otherwise not before four times the last rebuild.
    update leaderboard_refreshed set at = now()
    where at <= now() - case when p_min_interval > interval '0' then greatest(p_min_interval, took * 4) else interval '0' end;
    if not found then
        return false;
    end if;

    -- One pass over the answers of the month (and of the week's days before it), one group per learner; each period's
    -- top 10 is then a sort of those groups.
    delete from leaderboard_top;
    with bounds as (
        select date_trunc('week', p_today)::date as week_start, date_trunc('month', p_today)::date as month_start
    ), counts as (
        select a.learner_id,
               count(*) filter (where a.question_day = p_today)::integer          as day_correct,
               max(a.answered_at) filter (where a.question_day = p_today)          as day_at,
               count(*) filter (where a.question_day >= b.week_start)::integer     as week_correct,
               max(a.answered_at) filter (where a.question_day >= b.week_start)    as week_at,
               count(*) filter (where a.question_day >= b.month_start)::integer    as month_correct,
               max(a.answered_at) filter (where a.question_day >= b.month_start)   as month_at
        from bounds b
        join answers a on a.question_day between least(b.week_start, b.month_start) and p_today and a.is_correct and not a.is_late
        where exists (select 1 from leaderboard_members m where m.learner_id = a.learner_id)
        group by a.learner_id
    ), ranked as (
        (select 'day' as period, learner_id, day_correct as correct, day_at as reached_at from counts where day_correct > 0
         order by day_correct desc, day_at, learner_id limit 10)
        union all
        (select 'week', learner_id, week_correct, week_at from counts where week_correct > 0
         order by week_correct desc, week_at, learner_id limit 10)
        union all
        (select 'month', learner_id, month_correct, month_at from counts where month_correct > 0
         order by month_correct desc, month_at, learner_id limit 10)
    )
    insert into leaderboard_top (period, rank, learner_id, display_name, correct)
    select r.period, row_number() over (partition by r.period order by r.correct desc, r.reached_at, r.learner_id)::integer,
           r.learner_id, m.display_name, r.correct
    from ranked r
    join leaderboard_members m on m.learner_id = r.learner_id;
    update leaderboard_refreshed set took = clock_timestamp() - now();
    return true;
end
$$;
