-- wrk script for e2e/load/queue-bench.mjs. One script for both HTTP phases, so the load generator
-- does the same work on each side of the ratio; BENCH_MODE picks the request:
--   get     GET of the URL's path (the framework ceiling, /api/health), no cookie
--   action  POST of a server action to the URL's page (/queue): header `Next-Action: BENCH_ACTION_ID`,
--           body BENCH_ACTION_BODY with Content-Type BENCH_ACTION_TYPE (see queue-bench.mjs for the
--           encoding), and the session cookie of the next reviewer in BENCH_COOKIES ("a|b|c"): every
--           request rotates to the next session, so the reviewers' claims interleave.
-- done() prints `BENCH_JSON {...}`: counts, latency percentiles (µs), status codes, and for actions
-- the results seen in the bodies (claimed an item, nothing left, refused), plus `BENCH_SAMPLE <body>`
-- of the first response that wasn't a claim.

local mode = os.getenv("BENCH_MODE") or "get"
local action_id = os.getenv("BENCH_ACTION_ID") or ""
local body = os.getenv("BENCH_ACTION_BODY") or "[null]"
local content_type = os.getenv("BENCH_ACTION_TYPE") or "text/plain;charset=UTF-8"
local cookies = {}
for c in string.gmatch(os.getenv("BENCH_COOKIES") or "", "[^|]+") do table.insert(cookies, c) end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  seq = tid or 0
  statuses = {}
  results = { claimed = 0, none = 0, refused = 0, other = 0 }
  sample = nil
end

function request()
  if mode == "get" then
    return wrk.format("GET", wrk.path)
  elseif mode == "action" then
    seq = seq + 1
    local headers = {
      ["Next-Action"] = action_id,
      ["Content-Type"] = content_type,
      ["Accept"] = "text/x-component",
    }
    if #cookies > 0 then headers["Cookie"] = cookies[(seq % #cookies) + 1] end
    return wrk.format("POST", wrk.path, headers, body)
  end
  error("unknown BENCH_MODE " .. mode)
end

function response(status, headers, resp)
  statuses[status] = (statuses[status] or 0) + 1
  if mode == "action" then
    resp = resp or ""
    local kind
    if string.find(resp, '"ok":true', 1, true) and string.find(resp, '"id":"', 1, true) then
      kind = "claimed"
    elseif string.find(resp, '"ok":true', 1, true) then
      kind = "none"
    elseif string.find(resp, '"ok":false', 1, true) then
      kind = "refused"
    else
      kind = "other"
    end
    results[kind] = results[kind] + 1
    if kind ~= "claimed" and sample == nil then sample = status .. " " .. string.sub(resp, 1, 400) end
  elseif status >= 400 and sample == nil then
    sample = status .. " " .. string.sub(resp or "", 1, 400)
  end
end

function done(summary, latency, requests)
  local codes, totals, first = {}, { claimed = 0, none = 0, refused = 0, other = 0 }, nil
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses") or {}) do codes[code] = (codes[code] or 0) + count end
    for kind, count in pairs(thread:get("results") or {}) do totals[kind] = totals[kind] + count end
    first = first or thread:get("sample")
  end
  local parts = {}
  for code, count in pairs(codes) do table.insert(parts, string.format('"%d":%d', code, count)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"durationUs":%d,"requests":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},"statuses":{%s},' ..
      '"results":{"claimed":%d,"none":%d,"refused":%d,"other":%d}}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    table.concat(parts, ","), totals.claimed, totals.none, totals.refused, totals.other
  ))
  if first then io.write("BENCH_SAMPLE " .. string.gsub(first, "[\r\n]", " ") .. "\n") end
end
