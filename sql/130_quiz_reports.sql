-- Learners' reports of questions. A question reported by enough different learners is withdrawn from selection
-- until an operator reviews it (Quiz.Admin restore ID puts it back and marks its reports reviewed; retire ID keeps it out).

create table if not exists question_reports (
    learner_id    bigint not null,
    question_id   text not null references questions (id),
    reported_at   timestamptz not null,
    note          text check (char_length(note) <= 500),
    primary key (learner_id, question_id)
);

create index if not exists question_reports_by_question on question_reports (question_id);

-- A report an operator has dealt with (Quiz.Admin restore): it no longer counts towards withdrawing the question. The
-- learner's next report of it counts again, as a new one.
alter table question_reports add column if not exists reviewed boolean not null default false;

-- Records one learner's report (again: the note is updated) and withdraws the question once `threshold` different
-- learners have reported it since an operator last reviewed it, and they are at least one in twenty of the learners who
-- answered it: a handful of accounts cannot withdraw a question thousands have answered (issue 13). Returns the number
-- of learners whose report counts.
create or replace function quiz_report_question(p_learner bigint, p_question text, p_note text, p_at timestamptz, p_threshold integer)
returns integer
language plpgsql as $$
declare
    reporters integer;
    answered bigint;
begin
    insert into question_reports (learner_id, question_id, reported_at, note)
    values (p_learner, p_question, p_at, nullif(btrim(p_note), ''))
    on conflict (learner_id, question_id) do update
        set note = coalesce(excluded.note, question_reports.note), reported_at = excluded.reported_at, reviewed = false;

    select count(*) into reporters from question_reports where question_id = p_question and not reviewed;
    select count(*) into answered from answers where question_id = p_question;
    if reporters >= p_threshold and reporters * 20 >= answered then
        update questions set status = 'withdrawn', updated_at = now() where id = p_question and status = 'active';
    end if;

    return reporters;
end
$$;

create or replace view reported_questions as
select q.id as question_id, q.topic, q.level, q.status,
       count(r.learner_id)                                   as reports,
       max(r.reported_at)                                    as last_reported_at,
       array_remove(array_agg(r.note order by r.reported_at), null) as notes
from questions q
join question_reports r on r.question_id = q.id and not r.reviewed
group by q.id, q.topic, q.level, q.status;

-- Per question: how often it was answered, how often right, how often reported; and whether its accuracy over at
-- least 30 answers is far (more than 25 points) from its level's typical accuracy, so that it is listed for review.
create or replace view question_item_stats as
with per_question as (
    select q.id, q.topic, q.level, q.status, q.source,
           count(a.learner_id)                                       as answers,
           avg(a.is_correct::integer) filter (where not a.is_late)   as accuracy
    from questions q
    left join answers a on a.question_id = q.id
    group by q.id
), per_level as (
    select level, avg(accuracy) filter (where answers >= 30) as typical_accuracy
    from per_question
    group by level
)
select p.id as question_id, p.topic, p.level, p.status, p.source, p.answers,
       round(p.accuracy, 3)                                      as accuracy,
       round(l.typical_accuracy, 3)                              as level_typical_accuracy,
       (select count(*) from question_reports r where r.question_id = p.id and not r.reviewed) as reports,
       p.answers >= 30 and l.typical_accuracy is not null
           and abs(p.accuracy - l.typical_accuracy) > 0.25       as needs_review
from per_question p
join per_level l on l.level = p.level;
