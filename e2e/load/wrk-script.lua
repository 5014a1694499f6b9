-- wrk script for e2e/load/run.mjs. One script for every phase, so the load generator does the same
-- work everywhere; BENCH_MODE picks the request:
--   get     GET of the URL's path (the framework ceiling, /api/health)
--   bare    POST of one ~1 KB submission, no auth (the bare node:http + postgres.js server)
--   single  POST /api/v1/reviews: the same submission, Bearer key, a unique Idempotency-Key each
--   batch   POST /api/v1/reviews/batch: {items: [...]} of BENCH_BATCH_SIZE submissions, each with
--           its own unique idempotencyKey
-- Every body differs (order, customer, amount, externalId), as real traffic does.
-- done() prints one line, `BENCH_JSON {...}`, with the counts, latency percentiles (µs), the status
-- codes seen (and, for batches, the items' own statuses), and, when something failed,
-- `BENCH_SAMPLE <first error body>`.

local mode = os.getenv("BENCH_MODE") or "get"
local token = os.getenv("BENCH_TOKEN") or ""
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
local batch_size = tonumber(os.getenv("BENCH_BATCH_SIZE") or "100")
local task_type = os.getenv("BENCH_TASK_TYPE") or "refund.issue"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  seq = 0
  statuses = {}
  item_statuses = {}
  sample = nil
end

local reasons = {
  { "damaged", "item arrived damaged" },
  { "late_delivery", "delivery was more than a week late" },
  { "not_as_described", "item not as described" },
  { "duplicate_charge", "charged twice for one order" },
  { "wrong_item", "received the wrong item" },
}

-- A refund.issue submission shaped like the seed's (db/seed.ts), padded with a customer message and
-- the order's lines to about 1 KB.
local function submission(n, key)
  local r = reasons[(n % #reasons) + 1]
  local amount = 5 + ((n * 3719) % 42000) / 100
  local order_id = string.format("A-%06d", (n * 7919 + tid * 104729) % 1000000)
  local customer_id = string.format("C-%05d", (n * 131 + tid) % 100000)
  local ticket_id = string.format("T-%06d", (n * 613 + tid * 17) % 1000000)
  local confidence = 0.55 + ((n * 37) % 44) / 100
  return string.format(
    '{"taskType":"%s","title":"Refund $%.2f on order %s (%s)",' ..
      '"action":{"orderId":"%s","customerId":"%s","amount":%.2f,"currency":"USD","reason":"%s","method":"original_payment"},' ..
      '"context":{"orderTotal":%.2f,"orderDate":"2026-11-%02d","customerTenureMonths":%d,"previousRefunds90d":%d,"ticketId":"%s",' ..
      '"customerMessage":"Hello, I am writing about order %s. The %s, and I would like a refund to my original payment method. ' ..
      'I have attached photos of the package and the receipt. I have been a customer for a long time and this is the first time ' ..
      'something like this has happened, so I hope it can be sorted out quickly. Thank you for your help.",' ..
      '"orderLines":[{"sku":"SKU-%05d","name":"Stainless steel water bottle 750 ml","qty":1,"price":%.2f},' ..
      '{"sku":"SKU-%05d","name":"Insulated lunch box, large","qty":1,"price":24.99}],' ..
      '"agentNotes":"Order matches the ticket; carrier scan confirms the complaint window; amount within policy."},' ..
      '"confidence":%.2f,"amount":{"value":%.2f,"currency":"USD"},"priority":"normal","externalId":"%s"}',
    task_type, amount, order_id, r[2],
    order_id, customer_id, amount, r[1],
    amount + 24.99, (n % 28) + 1, (n % 96) + 1, n % 3, ticket_id,
    order_id, r[2],
    (n * 11) % 100000, amount, (n * 13) % 100000,
    confidence, amount, key
  )
end

local function next_key()
  seq = seq + 1
  return seq, string.format("bench-%s-%d-%d", run_id, tid, seq)
end

function request()
  if mode == "get" then
    return wrk.format("GET", wrk.path)
  elseif mode == "bare" then
    local n, key = next_key()
    return wrk.format("POST", wrk.path, { ["Content-Type"] = "application/json" }, submission(n, key))
  elseif mode == "single" then
    local n, key = next_key()
    return wrk.format("POST", wrk.path, {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. token,
      ["Idempotency-Key"] = key,
    }, submission(n, key))
  elseif mode == "batch" then
    local items = {}
    for i = 1, batch_size do
      local n, key = next_key()
      local item = submission(n, key)
      -- The item's own idempotencyKey goes in front of its fields.
      items[i] = '{"idempotencyKey":"' .. key .. '",' .. string.sub(item, 2)
    end
    return wrk.format("POST", wrk.path, {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. token,
    }, '{"items":[' .. table.concat(items, ",") .. "]}")
  end
  error("unknown BENCH_MODE " .. mode)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 400 and sample == nil then sample = status .. " " .. string.sub(body or "", 1, 400) end
  -- A batch answers 200 with one {"index":i,"status":s,...} per item: count the items' own statuses.
  if mode == "batch" and body then
    for code in string.gmatch(body, '"index":%d+,"status":(%d+),') do
      code = tonumber(code)
      item_statuses[code] = (item_statuses[code] or 0) + 1
      if code >= 400 and sample == nil then
        local at = string.find(body, '"status":' .. code .. ',', 1, true) or 1
        sample = "item " .. string.sub(body, at, at + 400)
      end
    end
  end
end

function done(summary, latency, requests)
  local codes, item_codes, first = {}, {}, nil
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses") or {}) do codes[code] = (codes[code] or 0) + count end
    for code, count in pairs(thread:get("item_statuses") or {}) do item_codes[code] = (item_codes[code] or 0) + count end
    first = first or thread:get("sample")
  end
  local function encode(counts)
    local parts = {}
    for code, count in pairs(counts) do table.insert(parts, string.format('"%d":%d', code, count)) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"durationUs":%d,"requests":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},"statuses":%s,"itemStatuses":%s}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    encode(codes), encode(item_codes)
  ))
  if first then io.write("BENCH_SAMPLE " .. string.gsub(first, "[\r\n]", " ") .. "\n") end
end
