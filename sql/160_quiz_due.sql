-- When each learner's next daily question is due (LearnerState.nextDelivery), kept by the grain-state write (030) in
-- the same statement. The silos' due sweep reads the learners whose instant passed long ago without a delivery: a
-- reminder tick that was lost (the activation failed in a burst, its silo died as it fired) would otherwise cost the
-- learner their day, since the reminder's next tick is tomorrow. A table of its own, like learner_outbox_pending, so
-- that state updates stay HOT; a row changes once a day per learner.

create table if not exists learner_due (
    serviceid   text not null,
    learner_id  bigint not null,
    due_at      timestamptz not null,
    primary key (serviceid, learner_id)
);

create index if not exists learner_due_by_time on learner_due (serviceid, due_at);

create or replace function quiz_track_due(p_serviceid text, p_learner bigint, state jsonb)
returns void
language plpgsql as $$
declare
    due timestamptz := (state->>'nextDelivery')::timestamptz;
begin
    if due is null then
        delete from learner_due where serviceid = p_serviceid and learner_id = p_learner;
    else
        insert into learner_due as d (serviceid, learner_id, due_at) values (p_serviceid, p_learner, due)
        on conflict (serviceid, learner_id) do update set due_at = excluded.due_at
            where d.due_at is distinct from excluded.due_at;
    end if;
end
$$;
