-- Operators' views. Learner state lives in the grain storage as JSON ('learner' rows, Quiz.Learners.LearnerState).

create or replace view user_quiz_summary as
with learners as (
    select convert_from(payloadbinary, 'UTF8')::jsonb as state, serviceid, modifiedon
    from orleansstorage
    where graintypestring = 'learner' and payloadbinary is not null
)
select (state->>'learnerId')::bigint                          as learner_id,
       serviceid                                             as service_id,
       (state->>'subscribed')::boolean                       as subscribed,
       (state->>'reachable')::boolean                        as reachable,
       state->>'level'                                       as level,
       (state->>'streak')::integer                           as streak,
       (state->>'bestStreak')::integer                       as best_streak,
       (state->>'answered')::integer                         as answered,
       (state->>'correct')::integer                          as correct,
       round((state->>'correct')::numeric / nullif((state->>'answered')::numeric, 0), 3) as accuracy,
       state->>'timeZone'                                    as time_zone,
       (state->>'deliveryTime')::time                        as delivery_time,
       (state->>'lastDeliveredDay')::date                    as last_delivered_day,
       modifiedon                                            as updated_at,
       coalesce((state->>'freezes')::integer, 0)             as freezes,
       (select count(*) from jsonb_object_keys(coalesce(state->'achievements', '{}'::jsonb)))::integer as achievements,
       coalesce((state->>'leagueTier')::integer, 0)          as league_tier,
       state->>'league'                                      as league,
       coalesce((state->>'top')::boolean, false)             as in_top
from learners;

create or replace view daily_question_stats as
select a.question_day,
       a.question_id,
       q.topic,
       q.level,
       count(*)                                   as answers,
       count(*) filter (where a.is_correct)       as correct,
       round(avg(a.is_correct::integer), 3)       as accuracy,
       count(*) filter (where a.is_late)          as late_answers
from answers a
join questions q on q.id = a.question_id
group by a.question_day, a.question_id, q.topic, q.level;
