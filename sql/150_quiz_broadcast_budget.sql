-- The cluster's broadcast schedule (docs/sending.md): the next free sending slot per service. Every silo leases its
-- daily questions' slots here, one statement per lease (about two a second per sending silo), so the schedule is one
-- for the cluster whatever silos join, leave or die. Instants are this server's clock (clock_timestamp()).

create table if not exists broadcast_budget (
    serviceid  text primary key,
    next_slot  timestamptz not null
);

-- Up to p_wanted slots spaced p_spacing apart, from the next free one (at least p_lead ahead), none further than
-- p_horizon ahead. Returns the first slot, how many, and when to ask again if none (db_now: the server's clock).
create or replace function quiz_lease_broadcast_slots(
    p_serviceid text, p_wanted integer, p_spacing interval, p_horizon interval, p_lead interval)
returns table (first_slot timestamptz, granted integer, retry_at timestamptz, db_now timestamptz)
language plpgsql as $$
declare
    v_now   timestamptz := clock_timestamp();
    v_next  timestamptz;
    v_count integer;
begin
    insert into broadcast_budget (serviceid, next_slot) values (p_serviceid, v_now)
    on conflict (serviceid) do nothing;
    select b.next_slot into v_next from broadcast_budget b where b.serviceid = p_serviceid for update;
    v_next := greatest(v_next, v_now + p_lead);
    v_count := least(p_wanted, greatest(0, floor(extract(epoch from (v_now + p_horizon - v_next)) / extract(epoch from p_spacing))::integer));
    update broadcast_budget set next_slot = v_next + p_spacing * v_count where serviceid = p_serviceid;
    return query select v_next, v_count,
        case when v_count > 0 then v_next else v_next - p_horizon + p_spacing end, v_now;
end
$$;

-- Telegram answered 429: no slot before p_retry_after from now.
create or replace function quiz_pause_broadcast_slots(p_serviceid text, p_retry_after interval)
returns void
language sql as $$
    insert into broadcast_budget (serviceid, next_slot) values (p_serviceid, clock_timestamp() + p_retry_after)
    on conflict (serviceid) do update set next_slot = greatest(broadcast_budget.next_slot, excluded.next_slot);
$$;
