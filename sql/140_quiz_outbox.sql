-- Learners whose outbox (the messages their state owes, LearnerState.outbox) is not empty, kept by the grain-state
-- write (030) in the same statement. The silos' outbox sweeper reads it to wake learners whose messages were written
-- but never confirmed sent because their silo stopped or crashed (docs/sending.md). A small table of its own rather
-- than an index on the state table, so that state updates stay HOT.

create table if not exists learner_outbox_pending (
    serviceid   text not null,
    learner_id  bigint not null,
    since       timestamptz not null default now(),
    primary key (serviceid, learner_id)
);

create index if not exists learner_outbox_pending_since on learner_outbox_pending (since);

create or replace function quiz_track_outbox(p_serviceid text, p_learner bigint, state jsonb)
returns void
language plpgsql as $$
begin
    if jsonb_array_length(coalesce(state->'outbox', '[]'::jsonb)) > 0 then
        insert into learner_outbox_pending (serviceid, learner_id) values (p_serviceid, p_learner)
        on conflict do nothing;
    else
        delete from learner_outbox_pending where serviceid = p_serviceid and learner_id = p_learner;
    end if;
end
$$;
