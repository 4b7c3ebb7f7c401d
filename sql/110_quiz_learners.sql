-- What operators query about learners: an append-only answer log and the history of level changes and streak resets.
-- Both are written by quiz_record_learner_progress, called from the grain-state write (030) in the same statement,
-- so a stored state and its log rows commit together, and a retried write adds nothing twice.

-- The answer log grows by a row a learner a day (365 M rows a year at 1 M learners), so it is partitioned by month of
-- question_day: a month is dropped or archived whole (docs/scaling.md), and queries of recent days read few partitions.
-- answers_default takes a row whose month has no partition yet; quiz_ensure_answer_partitions moves such rows when it
-- creates that month. This script keeps partitions 24 months ahead, and every upgrade runs it again.
do $$
begin
    -- Before issue 10 the log was one table: set it aside, and move its rows below.
    if exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where c.relname = 'answers' and n.nspname = current_schema() and c.relkind = 'r') then
        alter table answers rename to answers_unpartitioned;
        alter table answers_unpartitioned rename constraint answers_pkey to answers_unpartitioned_pkey;
        alter index if exists answers_by_question rename to answers_unpartitioned_by_question;
    end if;
end
$$;

create table if not exists answers (
    learner_id    bigint not null,
    question_id   text not null,
    question_day  date not null,
    choice        smallint not null check (choice between 0 and 3),
    is_correct    boolean not null,
    is_late       boolean not null,
    level         text not null,
    answered_at   timestamptz not null,
    update_id     bigint,
    primary key (learner_id, question_id, question_day)
) partition by range (question_day);

create table if not exists answers_default partition of answers default;

create index if not exists answers_by_question on answers (question_id);

-- A review (docs/rules.md, "Spaced review") is logged as any answer; this tells it from new material.
alter table answers add column if not exists is_review boolean not null default false;
-- The streak and level after the answer: achievements are recomputed from the log with them (docs/rules.md).
alter table answers add column if not exists streak_after integer;
alter table answers add column if not exists level_after text;

-- Achievements earned (docs/rules.md, "Achievements"), copied from the learner's state by the write that earned them.
create table if not exists achievements (
    learner_id   bigint not null,
    achievement  text not null,
    earned_on    date not null,
    primary key (learner_id, achievement)
);

-- Creates the monthly partitions answers_yYYYYmMM from p_from's month for p_months months, those missing; rows of
-- those months waiting in answers_default move in. Returns how many partitions it created.
create or replace function quiz_ensure_answer_partitions(p_from date, p_months integer)
returns integer
language plpgsql as $$
declare
    month_start date;
    month_end date;
    part text;
    created integer := 0;
begin
    for i in 0 .. p_months - 1 loop
        month_start := (date_trunc('month', p_from) + make_interval(months => i))::date;
        month_end := (month_start + interval '1 month')::date;
        part := format('answers_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        continue when to_regclass(part) is not null;
        execute format('create table %I (like answers including defaults including constraints)', part);
        execute format('insert into %I select * from answers_default where question_day >= %L and question_day < %L', part, month_start, month_end);
        delete from answers_default where question_day >= month_start and question_day < month_end;
        execute format('alter table answers attach partition %I for values from (%L) to (%L)', part, month_start, month_end);
        created := created + 1;
    end loop;
    return created;
end
$$;

do $$
declare
    first_day date := current_date - 31;
begin
    if to_regclass('answers_unpartitioned') is not null then
        execute 'select least($1, min(question_day)) from answers_unpartitioned' into first_day using first_day;
    end if;
    perform quiz_ensure_answer_partitions(first_day, ((extract(year from age(current_date, first_day)) * 12
        + extract(month from age(current_date, first_day)))::integer + 26));
    if to_regclass('answers_unpartitioned') is not null then
        insert into answers select * from answers_unpartitioned on conflict do nothing;
        -- Views over the old table (120_quiz_views.sql, 130_quiz_reports.sql) are made again by those scripts.
        drop table answers_unpartitioned cascade;
    end if;
end
$$;

create table if not exists streak_history (
    learner_id     bigint not null,
    seq            bigint not null,
    occurred_at    timestamptz not null,
    kind           text not null check (kind in ('promoted', 'demoted', 'streak-reset')),
    cause          text not null,
    level_before   text not null,
    level_after    text not null,
    streak_before  integer not null,
    streak_after   integer not null,
    primary key (learner_id, seq)
);

-- Streak freezes (docs/rules.md, "Streak freeze") are recorded here too: each earned and each spent.
alter table streak_history drop constraint if exists streak_history_kind_check;
alter table streak_history add constraint streak_history_kind_check
    check (kind in ('promoted', 'demoted', 'streak-reset', 'freeze-earned', 'freeze-spent'));

-- state is the learner grain's JSON (Quiz.Learners.LearnerState): 'lastAnswer' and 'events' are appended here.
create or replace function quiz_record_learner_progress(state jsonb)
returns void
language plpgsql as $$
declare
    learner bigint := (state->>'learnerId')::bigint;
    answer jsonb := state->'lastAnswer';
begin
    if learner is null or learner = 0 then
        return;
    end if;

    if answer is not null then
        insert into answers (learner_id, question_id, question_day, choice, is_correct, is_late, level, answered_at, update_id, is_review,
                             streak_after, level_after)
        values (learner, answer->>'questionId', (answer->>'day')::date, (answer->>'choice')::smallint,
                (answer->>'correct')::boolean, (answer->>'late')::boolean, answer->>'level',
                (answer->>'answeredAt')::timestamptz, nullif((answer->>'updateId')::bigint, 0),
                coalesce((answer->>'review')::boolean, false), (answer->>'streakAfter')::integer, answer->>'levelAfter')
        on conflict do nothing;
        insert into achievements (learner_id, achievement, earned_on)
        select learner, a.key, a.value::date from jsonb_each_text(coalesce(state->'achievements', '{}'::jsonb)) a
        on conflict do nothing;
    end if;

    if jsonb_array_length(coalesce(state->'events', '[]'::jsonb)) > 0 then
        insert into streak_history (learner_id, seq, occurred_at, kind, cause, level_before, level_after, streak_before, streak_after)
        select learner, (e->>'seq')::bigint, (e->>'at')::timestamptz, e->>'kind', e->>'cause',
               e->>'levelBefore', e->>'levelAfter', (e->>'streakBefore')::integer, (e->>'streakAfter')::integer
        from jsonb_array_elements(state->'events') e
        where (e->>'seq')::bigint > coalesce((select max(seq) from streak_history where learner_id = learner), 0)
        on conflict do nothing;
    end if;
end
$$;
