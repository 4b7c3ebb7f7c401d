-- Weekly leagues (issue 12, docs/rules.md "Weekly leagues"): who is in which league, and each week's results. A
-- league is (week, tier, level, number); league_joins counts the joins of a week, tier and level, so that the n-th
-- joiner goes to league (n - 1) / 30 without a lock or a scan. The standings are counted from the answers log when a
-- table is shown or a week settled; the answer path does nothing for leagues.

create table if not exists league_joins (
    week    date not null,
    tier    smallint not null,
    level   text not null,
    joined  integer not null,
    primary key (week, tier, level)
);

create table if not exists league_members (
    week          date not null,
    learner_id    bigint not null,
    tier          smallint not null check (tier between 0 and 4),
    level         text not null,
    number        integer not null check (number >= 0),
    display_name  text not null check (char_length(display_name) between 1 and 64),
    joined_at     timestamptz not null default now(),
    left_at       timestamptz,
    primary key (week, learner_id)
);
create index if not exists league_members_by_league on league_members (week, tier, level, number);

-- A league's settlement: written once (the primary key), whatever the ticks that ask for it.
create table if not exists league_results (
    week        date not null,
    tier        smallint not null,
    level       text not null,
    number      integer not null,
    learner_id  bigint not null,
    place       integer not null check (place >= 1),
    members     integer not null,
    correct     integer not null,
    move        text not null check (move in ('up', 'stay', 'down')),
    next_tier   smallint not null,
    settled_at  timestamptz not null default now(),
    primary key (week, tier, level, number, learner_id)
);

-- Joins the learner to a league of the week, tier and level with room, or returns the one they are in this week.
create or replace function quiz_join_league(p_week date, p_tier smallint, p_level text, p_learner bigint, p_name text)
returns integer
language plpgsql as $$
declare
    n integer;
    joined_count integer;
begin
    update league_members set display_name = p_name, left_at = null
    where week = p_week and learner_id = p_learner
    returning number into n;
    if found then
        return n;
    end if;
    insert into league_joins (week, tier, level, joined) values (p_week, p_tier, p_level, 1)
    on conflict (week, tier, level) do update set joined = league_joins.joined + 1
    returning joined into joined_count;
    n := (joined_count - 1) / 30;
    insert into league_members (week, learner_id, tier, level, number, display_name)
    values (p_week, p_learner, p_tier, p_level, n, p_name);
    return n;
end
$$;

-- Operators' view: every league's table as it stands, counted as the bot counts it.
create or replace view league_standings as
select m.week, m.tier, m.level, m.number, m.learner_id, m.display_name,
       count(a.learner_id)::integer as correct,
       max(a.answered_at)           as reached_at
from league_members m
left join answers a
       on a.learner_id = m.learner_id and a.is_correct and not a.is_late
      and a.answered_at >= m.week::timestamp at time zone 'UTC'
      and a.answered_at < (m.week + 7)::timestamp at time zone 'UTC'
      and a.question_day between m.week - 1 and m.week + 7
where m.left_at is null
group by m.week, m.tier, m.level, m.number, m.learner_id, m.display_name;
