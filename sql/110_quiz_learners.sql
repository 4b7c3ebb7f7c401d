-- What operators query about learners: an append-only answer log and the history of level changes and streak resets.
-- Both are written by quiz_record_learner_progress, called from the grain-state write (030) in the same statement,
-- so a stored state and its log rows commit together, and a retried write adds nothing twice.

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
);

create index if not exists answers_by_question on answers (question_id);

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
        insert into answers (learner_id, question_id, question_day, choice, is_correct, is_late, level, answered_at, update_id)
        values (learner, answer->>'questionId', (answer->>'day')::date, (answer->>'choice')::smallint,
                (answer->>'correct')::boolean, (answer->>'late')::boolean, answer->>'level',
                (answer->>'answeredAt')::timestamptz, nullif((answer->>'updateId')::bigint, 0))
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
