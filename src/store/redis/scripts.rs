//! The store's Lua scripts: each runs whole inside Redis, so its checks and writes are
//! one step no other writer can come between.

/// Appends a batch: `KEYS` log, batches, days, the writing turn; `ARGV` the expected
/// version, the batch id, the day, this writer, then (event, schema, flags) per record.
/// This writer's turn ends with the append; a retried batch is answered with the version
/// it reached (`{1, v}`); another version than the top is refused with the top
/// (`{0, len}`).
pub(super) const APPEND: &str = r#"
if redis.call('GET', KEYS[4]) == ARGV[4] then redis.call('DEL', KEYS[4]) end
local expected = tonumber(ARGV[1])
local done = redis.call('HGET', KEYS[2], ARGV[2])
if done then
  local first, last = string.match(done, '^(%d+):(%d+)$')
  if tonumber(first) == expected then return {1, tonumber(last)} end
end
local len = redis.call('XLEN', KEYS[1])
if len ~= expected then return {0, len} end
local v = expected
for i = 5, #ARGV, 3 do
  v = v + 1
  redis.call('XADD', KEYS[1], v .. '-1', 'e', ARGV[i], 's', ARGV[i + 1], 'f', ARGV[i + 2], 'b', ARGV[2])
end
redis.call('HSET', KEYS[2], ARGV[2], expected .. ':' .. v)
redis.call('ZADD', KEYS[3], 0, ARGV[3])
return {1, v}
"#;

/// The head, the batch of record `ARGV[1]`, up to `ARGV[2]` records after it and, for a
/// writer `ARGV[3]` asking for it, the writing turn (`KEYS[2]`, a lease of `ARGV[4]` ms;
/// `KEYS[3]` names the writer waiting for it, who gets it next): what a writer reads
/// before each batch, in one round trip.
pub(super) const READ_AHEAD: &str = r#"
local v = tonumber(ARGV[1])
local len = redis.call('XLEN', KEYS[1])
local at = false
if v > 0 then
  local e = redis.call('XRANGE', KEYS[1], v .. '-1', v .. '-1')
  if e[1] then
    local f = e[1][2]
    for i = 1, #f, 2 do
      if f[i] == 'b' then at = f[i + 1] end
    end
  end
end
local after = {}
if len > v then
  after = redis.call('XRANGE', KEYS[1], (v + 1) .. '-0', '+', 'COUNT', ARGV[2])
end
local turn = 0
if ARGV[3] ~= '' then
  local holder = redis.call('GET', KEYS[2])
  local waiter = redis.call('GET', KEYS[3])
  if (not holder or holder == ARGV[3]) and (not waiter or waiter == ARGV[3]) then
    redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
    if waiter then redis.call('DEL', KEYS[3]) end
    turn = 1
  elseif not waiter and holder ~= ARGV[3] then
    redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
  end
end
return {len, at, after, turn}
"#;
