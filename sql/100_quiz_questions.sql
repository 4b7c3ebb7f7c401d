-- The question bank. Questions are never deleted: a retired or withdrawn one keeps its answers' history.

create or replace function quiz_options_are_valid(options text[]) returns boolean
language sql immutable as $$
    select cardinality(options) = 4
       and (select count(distinct lower(btrim(o))) from unnest(options) o) = 4
       and (select bool_and(char_length(btrim(o)) between 1 and 120) from unnest(options) o)
$$;

create table if not exists questions (
    id              text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,47}$'),
    topic           text not null check (topic in (
                        'Data Modeling', 'SQL Performance', 'Distributed Systems', 'Streaming',
                        'Data Warehouses and Lakehouses', 'ETL vs ELT', 'Orchestration', 'Data Quality', 'Observability')),
    level           text not null check (level in ('Beginner', 'Intermediate', 'Advanced', 'Expert')),
    question        text not null check (char_length(question) between 1 and 300),
    options         text[] not null check (quiz_options_are_valid(options)),
    correct_index   smallint not null check (correct_index between 0 and 3),
    explanation     text not null check (char_length(explanation) between 1 and 800),
    reference       text,
    status          text not null default 'active' check (status in ('active', 'retired', 'withdrawn')),
    source          text not null default 'curated' check (source in ('curated', 'imported', 'generated')),
    model           text,
    prompt_version  text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create index if not exists questions_active_by_level on questions (level, topic) where status = 'active';

-- The wording in other languages, by language code: {"ru": {"question": ..., "options": [...], "explanation": ...}}.
-- The bank file's format; Quiz.Admin validate checks each like the English (docs/languages.md).
alter table questions add column if not exists translations jsonb not null default '{}'
    check (jsonb_typeof(translations) = 'object');

-- Upserts a JSON array of questions (the bank file format) by id; returns how many rows were inserted or changed.
-- A row whose content is unchanged is left alone, so re-applying the bank is cheap and keeps updated_at honest.
-- An id never changes meaning: learners hold open questions by id (their wording comes from this table), so a
-- changed topic, level, wording, options or answer is refused; the explanation, the reference and the translations may
-- be corrected.
-- A question marked "retired": true in the file is retired (it stays, for the learners who hold it open); otherwise an
-- upsert leaves the status alone, so what an operator withdrew, retired or restored stays so.
create or replace function quiz_upsert_questions(bank jsonb, p_source text, p_model text default null, p_prompt_version text default null)
returns integer
language plpgsql as $$
declare
    changed_id text;
    written integer;
begin
    select t.id into changed_id
    from jsonb_array_elements(bank) q
    join questions t on t.id = q->>'id'
    where (t.topic, t.level, t.question, t.options, t.correct_index)
          is distinct from
          (q->>'topic', q->>'level', q->>'question', array(select jsonb_array_elements_text(q->'options')), (q->>'correct')::smallint)
    limit 1;
    if changed_id is not null then
        raise exception 'question % is already in the bank with another topic, level, wording, options or answer', changed_id
            using errcode = 'check_violation',
                  hint = 'An id never changes meaning (learners may hold it open): give the edit a new id and retire the old one.';
    end if;

    with incoming as (
        select q->>'id' as id,
               q->>'topic' as topic,
               q->>'level' as level,
               q->>'question' as question,
               array(select jsonb_array_elements_text(q->'options')) as options,
               (q->>'correct')::smallint as correct_index,
               q->>'explanation' as explanation,
               nullif(q->>'reference', '') as reference,
               case when jsonb_typeof(q->'translations') = 'object' then q->'translations' else '{}'::jsonb end as translations,
               case when coalesce((q->>'retired')::boolean, false) then 'retired' else 'active' end as status
        from jsonb_array_elements(bank) q
    ), changed as (
        insert into questions as t (id, topic, level, question, options, correct_index, explanation, reference, translations, status, source, model, prompt_version)
        select id, topic, level, question, options, correct_index, explanation, reference, translations, status, p_source, p_model, p_prompt_version
        from incoming
        on conflict (id) do update
            set explanation = excluded.explanation, reference = excluded.reference, translations = excluded.translations,
                status = case when excluded.status = 'retired' then 'retired' else t.status end, updated_at = now()
            where (t.explanation, t.reference, t.translations) is distinct from (excluded.explanation, excluded.reference, excluded.translations)
               or (excluded.status = 'retired' and t.status <> 'retired')
        returning 1
    )
    select count(*)::integer into written from changed;
    return written;
end
$$;
