-- Group chats (issue 12, docs/rules.md "Group chats"): every answer a member gave to a group's daily question, one per
-- member and question. The group's tally and its tops (day, week from Monday, month, by the group's own date) are
-- read from here; a group answer never counts for the member's own level or streak.

create table if not exists group_answers (
    chat_id       bigint not null check (chat_id < 0),
    question_id   text not null,
    question_day  date not null,
    user_id       bigint not null check (user_id > 0),
    display_name  text not null check (char_length(display_name) between 1 and 64),
    choice        smallint not null check (choice between 0 and 3),
    is_correct    boolean not null,
    answered_at   timestamptz not null,
    primary key (chat_id, question_day, question_id, user_id)
);
